import Glibc

/// Draws ranks `0 ..< count` with Zipf-like probabilities `1 / (rank + 1)^exponent`: a few shares go
/// viral, most get a handful of clicks.
struct ZipfSampler {
    private let cumulative: [Double]

    init(count: Int, exponent: Double) {
        var total = 0.0
        var cumulative = [Double]()
        cumulative.reserveCapacity(count)
        for rank in 0..<count {
            total += 1 / pow(Double(rank + 1), exponent)
            cumulative.append(total)
        }
        self.cumulative = cumulative.map { $0 / total }
    }

    /// A rank; 0 is the most popular.
    func sample(_ generator: inout SeededGenerator) -> Int {
        let target = generator.unit()
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] <= target { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
