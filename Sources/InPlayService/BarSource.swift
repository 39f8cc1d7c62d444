/// Where a bar came from, for metrics and logs.
public enum BarSource: String, Sendable, CaseIterable {
    /// `POST /inplay/bars`.
    case rest
    /// The pipeline subject `marketdata.bars.{symbol}`.
    case pipeline
    /// The `INPLAY_CSV_REPLAY` file.
    case csv
}
