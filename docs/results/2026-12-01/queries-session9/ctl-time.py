import socket, sys, time, json, statistics
path, request, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for _ in range(runs):
    s = socket.socket(socket.AF_UNIX); s.connect(path)
    t = time.perf_counter(); s.sendall(request.encode() + b"\n")
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = s.recv(1 << 20)
        if not chunk: break
        buf += chunk
    times.append((time.perf_counter() - t) * 1000); s.close()
    time.sleep(0.2)
print(" ".join(f"{t:.0f}" for t in times), file=sys.stderr)  # every answer, in order
times.sort()
print(f"{request[:60]}: median {statistics.median(times):.2f} ms, p99 {times[int(len(times)*0.99)-1 if len(times)>=100 else -1]:.2f} ms, max {times[-1]:.2f} ms ({runs} runs); answer {buf[:80]!r}")
