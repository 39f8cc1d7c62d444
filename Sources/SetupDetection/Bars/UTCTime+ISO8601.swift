extension UTCTime: CustomStringConvertible, Codable {
    /// `YYYY-MM-DDTHH:MM:SSZ`, the form every payload of the service carries.
    public var iso8601: String {
        let days = Self.floorDiv(secondsSinceEpoch, 86_400)
        let secondOfDay = Int(secondsSinceEpoch - days * 86_400)
        let date = CivilDate(daysSinceEpoch: days)
        return "\(date)T\(CivilDate.pad(secondOfDay / 3_600, 2)):\(CivilDate.pad(secondOfDay / 60 % 60, 2)):\(CivilDate.pad(secondOfDay % 60, 2))Z"
    }

    public var description: String { iso8601 }

    /// Parses `YYYY-MM-DDTHH:MM:SS` (a space is accepted for `T`), with optional fractional
    /// seconds (dropped: the instant is floored to the second) and a zone `Z`, `+HH:MM`,
    /// `-HH:MM`, `+HHMM` or `+HH`. A missing zone is refused: a bar's time must say it is UTC.
    public init?(iso8601 text: some StringProtocol) {
        let bytes = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[from..<(from + count)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 20,
              let year = number(0, 4), bytes[4] == UInt8(ascii: "-"),
              let month = number(5, 2), bytes[7] == UInt8(ascii: "-"),
              let day = number(8, 2), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
              let hour = number(11, 2), bytes[13] == UInt8(ascii: ":"),
              let minute = number(14, 2), bytes[16] == UInt8(ascii: ":"),
              let second = number(17, 2)
        else { return nil }
        let date = CivilDate(year, month, day)
        guard date.isValid, hour < 24, minute < 60, second < 60 else { return nil }
        var index = 19
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
            index += 1
            let digitsStart = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
            guard index > digitsStart else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offsetSeconds = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "+") ? 1 : -1
            guard let offsetHours = number(index + 1, 2), offsetHours <= 14 else { return nil }
            index += 3
            var offsetMinutes = 0
            if index < bytes.count {
                if bytes[index] == UInt8(ascii: ":") { index += 1 }
                guard let minutes = number(index, 2), minutes < 60 else { return nil }
                offsetMinutes = minutes
                index += 2
            }
            offsetSeconds = sign * (offsetHours * 3_600 + offsetMinutes * 60)
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        self = UTCTime(date, hour: hour, minute: minute, second: second).adding(seconds: Int64(-offsetSeconds))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let time = UTCTime(iso8601: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO-8601 UTC time: '\(text)'")
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}
