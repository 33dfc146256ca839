import sys, re
p = sys.argv[1] + "/Sources/ShareTrackStore/RollupWriter.swift"
s = open(p).read()
s = s.replace("import ShareTrackCore\n", "import ShareTrackCore\nimport Foundation\n", 1)
s = s.replace("""        for (index, (rollup, upsert)) in zip(Rollup.all, upserts).enumerated() {
            let table = rollup.groups.index""", """        var timings: [String] = []
        for (index, (rollup, upsert)) in zip(Rollup.all, upserts).enumerated() {
            let started = ContinuousClock.now
            defer { let d = ContinuousClock.now - started; timings.append("\\(rollup.table)=\\(Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000)") }
            let table = rollup.groups.index""", 1)
s = s.replace("""            try binder.finish(one: upsert.one)
        }
""", """            try binder.finish(one: upsert.one)
        }
        FileHandle.standardError.write(Data("ROLLUPS cells=\\(cells.count) \\(timings.joined(separator: " "))\\n".utf8))
""", 1)
open(p, "w").write(s)
