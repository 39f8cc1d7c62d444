import Testing
@testable import SetupDetection

@Suite("Bar CSV loader")
struct BarCSVLoaderTests {
    @Test("reads ISO-8601 and epoch timestamps, CRLF, blank lines and spaces")
    func goodFile() throws {
        let text = "timestamp,symbol,open,high,low,close,volume\r\n"
            + "2024-03-19T14:34:00Z,AAPL,190.1,190.6,189.9,190.5,1200\r\n"
            + "\r\n"
            + "1710858900, AAPL ,190.5,191,190.4,190.8,900\n"
            + "2024-03-19T15:36:00+01:00,MSFT,400,401,399.5,400.5,0\n"
        let bars = try BarCSVLoader.parse(text)
        #expect(bars.count == 3)
        #expect(bars[0] == Bar(symbol: "AAPL", start: utc(2024, 3, 19, 14, 34), open: 190.1, high: 190.6, low: 189.9, close: 190.5, volume: 1_200))
        #expect(bars[1].start == utc(2024, 3, 19, 14, 35))
        #expect(bars[1].symbol == "AAPL")
        #expect(bars[1].end == utc(2024, 3, 19, 14, 36))
        #expect(bars[2].start == utc(2024, 3, 19, 14, 36))
        #expect(bars[2].symbol == "MSFT")
    }

    @Test("the bar duration applies to every row")
    func duration() throws {
        let bars = try BarCSVLoader.parse("timestamp,symbol,open,high,low,close,volume\n0,X,1,1,1,1,1\n", barDurationSeconds: 300)
        #expect(bars.first?.durationSeconds == 300)
    }

    @Test("errors name the line and the column", arguments: [
        ("2024-03-19T14:34:00Z,AAPL,190.1,abc,189.9,190.5,1200", 2, "high"),
        ("2024-03-19T14:34:00,AAPL,190.1,190.6,189.9,190.5,1200", 2, "timestamp"),
        ("1710858840000,AAPL,190.1,190.6,189.9,190.5,1200", 2, "timestamp"),
        ("2024-03-19T14:34:00Z,,190.1,190.6,189.9,190.5,1200", 2, "symbol"),
        ("2024-03-19T14:34:00Z,AAPL,190.1,190.6,189.9,190.5,nan", 2, "volume"),
    ])
    func badField(row: String, line: Int, column: String) {
        let text = "timestamp,symbol,open,high,low,close,volume\n" + row + "\n"
        #expect {
            try BarCSVLoader.parse(text)
        } throws: { error in
            guard let error = error as? BarCSVError else { return false }
            return error.line == line && error.column == column
                && error.description.contains("line \(line)") && error.description.contains("'\(column)'")
        }
    }

    @Test("a wrong field count, an inconsistent bar and a bad header are refused with their line")
    func badRows() {
        let header = "timestamp,symbol,open,high,low,close,volume\n"
        let good = "2024-03-19T14:34:00Z,AAPL,190.1,190.6,189.9,190.5,1200\n"
        #expect(throws: BarCSVError.wrongFieldCount(line: 3, found: 6)) {
            try BarCSVLoader.parse(header + good + "2024-03-19T14:35:00Z,AAPL,1,2,0.5,1\n")
        }
        #expect(throws: BarCSVError.inconsistentBar(line: 2, reason: "low 2.0 is above high 1.0")) {
            try BarCSVLoader.parse(header + "2024-03-19T14:35:00Z,AAPL,1,1,2,1,5\n")
        }
        #expect(throws: BarCSVError.badHeader(found: "time,symbol,open,high,low,close,volume")) {
            try BarCSVLoader.parse("time,symbol,open,high,low,close,volume\n" + good)
        }
        #expect(throws: BarCSVError.missingHeader) { try BarCSVLoader.parse("") }
        #expect(BarCSVError.wrongFieldCount(line: 3, found: 6).description.contains("line 3"))
    }

    @Test("a missing file is reported with its path")
    func missingFile() {
        #expect {
            try BarCSVLoader.load(path: "/nonexistent/bars.csv")
        } throws: { error in
            (error as? BarCSVError)?.description.contains("/nonexistent/bars.csv") ?? false
        }
    }
}
