// The console's call list and reviews follow the tenant's changes (GET /console/changes, Server-Sent Events): when
// another desk, a tablet or the CRM changes something, the page reloads, unless someone is filling in a form here;
// then it says so and leaves the reload to them. Without this script the pages work as they are.
(function () {
  'use strict';
  var main = document.querySelector('[data-live]');
  if (!main || !window.EventSource) return;
  var note = document.getElementById('live-note');
  var first = true;
  var source = new EventSource('/console/changes');
  function busy() {
    var active = document.activeElement;
    return document.querySelector('details[open]') !== null ||
      (active !== null && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName));
  }
  source.addEventListener('version', function () {
    if (first) { first = false; return; }
    if (busy()) {
      if (note) note.hidden = false;
      return;
    }
    source.close();
    window.location.reload();
  });
})();
