/// The capability and limit names the suite checks (the seeds' `libs.entitlements`).
public enum Capability {
    /// Access to the history endpoints.
    public static let stream = "can.stream"
    /// Consumption of real-time feeds (`/ws/rooms/{roomId}`).
    public static let streamPublic = "can.stream_public"
    /// Maximum number of active overlays.
    public static let limitStreamOverlays = "limit.stream_overlays"
    /// Maximum bitrate/resolution allowed on the pipeline.
    public static let limitStreamBitrate = "limit.stream_bitrate"
}
