# run.sh BINDIR DB RUNS < QUESTIONS: times each `sharectl --db` question (a line: a name, then
# the arguments) RUNS times over the store DB of the Unix-socket cluster at /tmp/s29/pg with BINDIR's
# sharectl, the whole process; prints the median and the highest run of each, in ms, and keeps
# the first answer of each in answers-DB-BINDIR's name.txt (in the working directory).
BIN=$1; DB=$2; RUNS=${3:-9}
URI="postgresql:///$DB?host=/tmp/s29/pg&user=postgres"
OUT=answers-$DB-$(basename $BIN).txt; : > $OUT
while read -r name args; do
    times=()
    for run in $(seq 1 $RUNS); do
        start=$(date +%s%N)
        answer=$($BIN/sharectl $args --db "$URI" --json)
        times+=($(( ($(date +%s%N) - start) / 1000000 )))
        [ $run = 1 ] && echo "$name: $answer" >> $OUT
    done
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    printf '%-28s median %6d ms  max %6d ms\n' "$name" ${sorted[$((RUNS / 2))]} ${sorted[$((RUNS - 1))]}
done
