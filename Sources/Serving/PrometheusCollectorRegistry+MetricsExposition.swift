import Prometheus

extension PrometheusCollectorRegistry: MetricsExposition {
    package func exposition() -> [UInt8] {
        emitToBuffer()
    }
}
