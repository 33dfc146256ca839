# usage: steps-by-rollup.py LOG...
# Splits the build steps of each daemon debug LOG ("rollups built a step further", in order) into
# the three rollups built one after the other on the 2M-share database at schema 7: 17 steps each
# for the two all-time ones (846,441 share groups, one row of rollup_groups each, 50,000 a step),
# then the rest for the hours; prints each part's count, median, p90 and max in ms.
import re, statistics, sys

for path in sys.argv[1:]:
    steps = [int(m) for m in re.findall(r"rollups built a step further.*?ms[=:\"\s]+(\d+)", open(path).read())]
    parts = [("advocate alone", steps[:17]), ("advocate and venue", steps[17:34]), ("hours", steps[34:])]
    print(path + ": " + "; ".join("%s %d steps, median %d, p90 %d, max %d ms"
                                    % (name, len(part), statistics.median(part),
                                       sorted(part)[int(0.9 * (len(part) - 1))], max(part))
                                    for name, part in parts))
