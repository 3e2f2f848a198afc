// Revisit review page: a live total of the approved work, the decline reason shown only for a decline,
// and an answered error no longer marked. The page works fully without this script.
(() => {
  "use strict";
  document.documentElement.classList.add("js");
  const form = document.getElementById("review");
  if (!form) return;
  const outs = [document.getElementById("approved-total"), ...form.querySelectorAll("[data-total]")].filter(Boolean);
  let fmt = null;
  try {
    fmt = new Intl.NumberFormat(form.dataset.locale || undefined, {
      style: "currency",
      currency: form.dataset.currency || "EUR",
    });
  } catch (e) {
    fmt = null;
  }
  const scale = fmt ? Math.pow(10, fmt.resolvedOptions().maximumFractionDigits) : 100;
  const items = Array.from(form.querySelectorAll("[data-item-code]"));

  const update = () => {
    let sum = 0;
    for (const item of items) {
      const picked = item.querySelector('input[type="radio"]:checked');
      const value = picked ? picked.value : "";
      if (value === "approved") sum += Number(item.dataset.costMinor) || 0;
      const reason = item.querySelector("[data-reason]");
      if (reason) reason.hidden = value !== "declined";
    }
    if (fmt) for (const out of outs) out.textContent = fmt.format(sum / scale);
  };

  const answered = (target) => {
    const box = target.closest(".has-error");
    if (!box || (target.type === "checkbox" ? !target.checked : !target.value.trim())) return;
    box.classList.remove("has-error");
    for (const el of box.querySelectorAll(".field-error")) el.hidden = true;
    target.removeAttribute("aria-invalid");
    const item = target.closest("[data-item-code]");
    if (item && !item.querySelector(".has-error")) item.classList.remove("is-invalid");
  };

  form.addEventListener("change", (event) => {
    if (event.target.closest) answered(event.target);
    update();
  });
  update();
})();
