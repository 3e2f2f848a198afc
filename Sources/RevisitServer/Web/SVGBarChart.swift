import Foundation

/// A bar chart drawn by the server as inline SVG (DESIGN section 14): readable without JavaScript and when printed,
/// with axes, labels and a legend. Colours are presentation attributes, not styles, so the console's policy (no
/// inline style) allows them; text is escaped, so a label cannot become markup.
struct SVGBarChart {
    struct Series {
        var name: String
        /// A fill colour that keeps 3:1 contrast against white, for the bars and their legend swatch.
        var colour: String
        var values: [Int64]
    }

    var title: String
    /// One label per group (a month, a reason) along the x axis.
    var groups: [String]
    var series: [Series]
    /// Bars of one group side by side, or stacked.
    var stacked = false
    /// How a value reads on the axis (a count, an amount of money).
    var format: (Int64) -> String = { String($0) }
    /// The smallest step between grid lines: 1 for counts, one unit of the currency (100 minor units) for money.
    var minimumStep: Int64 = 1

    static let gridColour = "#d5dbe3"
    static let inkColour = "#1b2430"
    static let width = 760.0
    static let height = 300.0
    private static let left = 70.0
    private static let right = 12.0
    private static let top = 16.0
    private static let bottom = 64.0

    func render() -> String {
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        let totals = groups.indices.map { index in
            stacked
                ? series.reduce(Int64(0)) { $0 + max(0, $1.values[safe: index] ?? 0) }
                : series.map { max(0, $0.values[safe: index] ?? 0) }.max() ?? 0
        }
        let step = max(minimumStep, Self.niceCeiling((max(1, totals.max() ?? 1) + 3) / 4))
        let maximum = step * 4
        func y(_ value: Double) -> Double { Self.top + plotHeight * (1 - value / Double(maximum)) }
        var out = """
            <svg class="chart" viewBox="0 0 \(Self.width) \(Self.height + 24)" role="img" aria-label="\(HTMLText.escaped(title))" \
            xmlns="http://www.w3.org/2000/svg"><title>\(HTMLText.escaped(title))</title>
            """
        for step in 0...4 {
            let value = Double(maximum) * Double(step) / 4
            let at = y(value)
            out +=
                #"<line x1="\#(Self.left)" x2="\#(Self.width - Self.right)" y1="\#(at)" y2="\#(at)" stroke="\#(Self.gridColour)"/>"#
            out +=
                #"<text x="\#(Self.left - 6)" y="\#(at + 4)" text-anchor="end" font-size="15" fill="\#(Self.inkColour)">"#
            out += HTMLText.escaped(format(Int64(value.rounded()))) + "</text>"
        }
        let groupWidth = plotWidth / Double(max(1, groups.count))
        let barWidth = stacked ? groupWidth * 0.6 : groupWidth * 0.8 / Double(max(1, series.count))
        for (index, label) in groups.enumerated() {
            let start = Self.left + groupWidth * Double(index)
            var base = 0.0
            for (number, serie) in series.enumerated() {
                let value = Double(max(0, serie.values[safe: index] ?? 0))
                let x = stacked ? start + groupWidth * 0.2 : start + groupWidth * 0.1 + barWidth * Double(number)
                let upper = stacked ? base + value : value
                let lower = stacked ? base : 0
                let height = max(0, y(lower) - y(upper))
                out +=
                    #"<rect x="\#(x)" y="\#(y(upper))" width="\#(barWidth)" height="\#(height)" fill="\#(serie.colour)">"#
                out += "<title>\(HTMLText.escaped("\(serie.name), \(label): \(format(Int64(value)))"))</title></rect>"
                if stacked { base += value }
            }
            out += #"<text x="\#(start + groupWidth / 2)" y="\#(Self.height - Self.bottom + 16)" text-anchor="middle" "#
            out += #"font-size="15" fill="\#(Self.inkColour)">\#(HTMLText.escaped(label))</text>"#
        }
        let axisY = Self.height - Self.bottom
        out +=
            #"<line x1="\#(Self.left)" x2="\#(Self.width - Self.right)" y1="\#(axisY)" y2="\#(axisY)" stroke="\#(Self.inkColour)"/>"#
        out +=
            #"<line x1="\#(Self.left)" x2="\#(Self.left)" y1="\#(Self.top)" y2="\#(axisY)" stroke="\#(Self.inkColour)"/>"#
        var legendX = Self.left
        for serie in series {
            let legendY = Self.height - 18
            out += #"<rect x="\#(legendX)" y="\#(legendY)" width="12" height="12" fill="\#(serie.colour)"/>"#
            out += #"<text x="\#(legendX + 17)" y="\#(legendY + 10)" font-size="15" fill="\#(Self.inkColour)">"#
            out += HTMLText.escaped(serie.name) + "</text>"
            legendX += 34 + Double(serie.name.count) * 8.5
        }
        return out + "</svg>"
    }

    /// 1, 2 or 5 times a power of ten at or above `value`: four such steps make an axis that reads in round numbers.
    static func niceCeiling(_ value: Int64) -> Int64 {
        var power: Int64 = 1
        while power * 10 <= value { power *= 10 }
        for factor: Int64 in [1, 2, 5, 10] where factor * power >= value { return factor * power }
        return 10 * power
    }

}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
