/// The rule for room names: 1 to 64 ASCII letters, digits, `-` or `_`, so that a room is one
/// token of the pipeline subject `rooms.{roomId}`.
public enum RoomName {
    /// Whether `name` is a well-formed room name.
    public static func isValid(_ name: String) -> Bool {
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        return bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    /// The pipeline subject of a room's events.
    public static func subject(_ room: String) -> String { "rooms.\(room)" }

    /// The pipeline subject of a room's chat log.
    public static func chatSubject(_ room: String) -> String { "chat.\(room)" }

    /// The room of a `rooms.{roomId}` subject.
    public static func room(ofSubject subject: String) -> String? {
        guard subject.hasPrefix("rooms.") else { return nil }
        let room = String(subject.dropFirst(6))
        return isValid(room) ? room : nil
    }
}
