import Metrics
import Prometheus
import Synchronization

/// The Prometheus registry behind `/metrics`. The metrics system is global to a process, so it is bootstrapped once
/// however many applications a test run builds.
enum ServerMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    static func bootstrap() { _ = registry }

    static func render() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    static func mutations(_ status: String) -> Metrics.Counter {
        Metrics.Counter(label: "revisit_mutations_total", dimensions: [("status", status)])
    }
    static let conflicts = Metrics.Counter(label: "revisit_conflicts_total")
    static let pullRows = Metrics.Counter(label: "revisit_pull_rows_total")
    static let hlcClamped = Metrics.Counter(label: "revisit_hlc_clamped_total")
    static func followups(_ state: String) -> Metrics.Gauge {
        Metrics.Gauge(label: "revisit_followups", dimensions: [("state", state)])
    }
    static let outboxLag = Metrics.Gauge(label: "revisit_outbox_lag_seconds")
    static let tombstonesPurged = Metrics.Counter(label: "revisit_tombstones_purged_total")
    /// Connections closed or refused at the edge: `reason` is `max_connections`, `header_timeout` or `body_timeout`.
    static func connectionsClosed(_ reason: String) -> Metrics.Counter {
        Metrics.Counter(label: "revisit_connections_closed_total", dimensions: [("reason", reason)])
    }
    static let wrongTokensLimited = Metrics.Counter(label: "revisit_wrong_tokens_limited_total")
    static let tokenCacheHits = Metrics.Counter(label: "revisit_token_cache_hits_total")
}
