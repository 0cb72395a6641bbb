# SPDX-License-Identifier: Apache-2.0
"""An independent client of vigild's gRPC API, for tests/integration/api.sh.

Built on Python's grpcio with code that grpc_tools.protoc generated from
vigil's own api/tetragon/*.proto (in GEN_DIR), so it checks that vigild
speaks the protocol any gRPC implementation speaks.  Prints "ok - NAME" or
"not ok - NAME: WHY" per check, as the shell tests do.

  api_client.py GEN_DIR interop ADDR POLICY_FILE POLICY_NAME VICTIM
      stream events, add the policy, list it, see VICTIM killed and the kill
      reported in the stream, delete it, see VICTIM run
  api_client.py GEN_DIR slow ADDR SECONDS MARKER OUT
      a client that reads one message a second, with a small HTTP/2 window,
      for SECONDS, then catches up until the exec of MARKER (and 3 s more);
      writes what it got to OUT (one JSON object per message: the event
      kind, whether it was read slowly, any loss report's count)
  api_client.py GEN_DIR bad ADDR BIG_POLICY_FILE
      malformed requests, a policy over the size limit and one over the
      message limit, an unknown enum value, an unknown method, raw garbage
      on the socket, 100 clients at once, a stream that is never read
"""
import json
import os
import socket
import subprocess
import sys
import threading
import time

GEN = sys.argv[1]
sys.path.insert(0, GEN)

import grpc  # noqa: E402
from tetragon import events_pb2, sensors_pb2, sensors_pb2_grpc, tetragon_pb2  # noqa: E402

FAILS = 0


def ok(name):
    print("ok - " + name, flush=True)


def not_ok(name, why):
    global FAILS
    FAILS += 1
    print("not ok - %s: %s" % (name, str(why).replace("\n", " | ")), flush=True)


def check(name, cond, why=""):
    if cond:
        ok(name)
    else:
        not_ok(name, why)


def stub(addr, slow=False):
    opts = [("grpc.max_receive_message_length", 16 << 20)]
    if slow:
        # A reader whose HTTP/2 window stays small (no bandwidth probing):
        # what it does not read stays with vigild.
        opts += [("grpc.http2.bdp_probe", 0), ("grpc.http2.lookahead_bytes", 65536)]
    ch = grpc.insecure_channel(addr, options=opts)
    return ch, sensors_pb2_grpc.FineGuidanceSensorsStub(ch)


def code_of(fn):
    """The status code and message a call ends with (OK, "")."""
    try:
        fn()
        return grpc.StatusCode.OK, ""
    except grpc.RpcError as e:
        return e.code(), e.details() or ""


def interop(addr, policy_file, name, victim):
    ch, c = stub(addr)
    seen = []
    started = threading.Event()
    stream = c.GetEvents(events_pb2.GetEventsRequest())

    def reader():
        try:
            for ev in stream:
                started.set()
                seen.append(ev)
        except grpc.RpcError:
            pass

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    # The stream is open once an event arrived; make one.
    for _ in range(50):
        subprocess.run(["/bin/true"])
        if started.wait(0.1):
            break
    check("grpcio: GetEvents streams events", started.is_set(), "no event in 5 s")

    v = c.GetVersion(sensors_pb2.GetVersionRequest(), timeout=10)
    check("grpcio: GetVersion answers", v.version != "", repr(v))
    h = c.GetHealth(tetragon_pb2.GetHealthStatusRequest(), timeout=10)
    check("grpcio: GetHealth says running",
          len(h.health_status) == 1 and
          h.health_status[0].status == tetragon_pb2.HEALTH_STATUS_RUNNING, repr(h))

    with open(policy_file) as f:
        yaml = f.read()
    code, msg = code_of(lambda: c.AddTracingPolicy(
        sensors_pb2.AddTracingPolicyRequest(yaml=yaml), timeout=120))
    check("grpcio: AddTracingPolicy loads the policy", code == grpc.StatusCode.OK,
          "%s %s" % (code, msg))
    code, msg = code_of(lambda: c.AddTracingPolicy(
        sensors_pb2.AddTracingPolicyRequest(yaml=yaml), timeout=120))
    check("grpcio: adding it again is ALREADY_EXISTS",
          code == grpc.StatusCode.ALREADY_EXISTS and name in msg, "%s %s" % (code, msg))
    pols = c.ListTracingPolicies(sensors_pb2.ListTracingPoliciesRequest(), timeout=10)
    mine = [p for p in pols.policies if p.name == name]
    check("grpcio: ListTracingPolicies lists it enabled, enforcing, with its memory",
          len(mine) == 1 and mine[0].state == sensors_pb2.TP_STATE_ENABLED and
          mine[0].mode == sensors_pb2.TP_MODE_ENFORCE and mine[0].kernel_memory_bytes > 0,
          repr(pols))
    rc = subprocess.run([victim]).returncode
    check("grpcio: the policy kills its binary", rc == -9, "exit %s" % rc)
    deadline = time.time() + 10
    kills = []
    while time.time() < deadline and not kills:
        kills = [e for e in seen if e.WhichOneof("event") == "process_kprobe" and
                 e.process_kprobe.policy_name == name and
                 e.process_kprobe.process.binary == victim]
        time.sleep(0.1)
    check("grpcio: the kill is in the stream as process_kprobe with KPROBE_ACTION_SIGKILL",
          len(kills) == 1 and kills[0].process_kprobe.action == tetragon_pb2.KPROBE_ACTION_SIGKILL,
          "%d events seen, kills: %r" % (len(seen), kills[:1]))
    pols = c.ListTracingPolicies(sensors_pb2.ListTracingPoliciesRequest(), timeout=10)
    mine = [p for p in pols.policies if p.name == name]
    check("grpcio: the policy's counters count the kill",
          len(mine) == 1 and mine[0].stats.action_counters.signal >= 1 and
          mine[0].stats.action_counters.post >= 1, repr(mine))
    code, msg = code_of(lambda: c.DeleteTracingPolicy(
        sensors_pb2.DeleteTracingPolicyRequest(name=name), timeout=30))
    check("grpcio: DeleteTracingPolicy unloads it", code == grpc.StatusCode.OK,
          "%s %s" % (code, msg))
    rc = subprocess.run([victim]).returncode
    check("grpcio: without the policy the binary runs", rc == 0, "exit %s" % rc)
    pols = c.ListTracingPolicies(sensors_pb2.ListTracingPoliciesRequest(), timeout=10)
    check("grpcio: the list no longer has it", all(p.name != name for p in pols.policies),
          repr(pols))
    stream.cancel()
    ch.close()


def slow(addr, seconds, marker, out):
    """Read one message a second for SECONDS, then catch up until the exec
    of MARKER and 3 s more; every message kind and loss report goes to
    OUT."""
    import queue

    ch, c = stub(addr, slow=True)
    got = queue.Queue()
    fast = threading.Event()
    stream = c.GetEvents(events_pb2.GetEventsRequest())

    def reader():
        try:
            for ev in stream:
                got.put(ev)
                if not fast.is_set():
                    time.sleep(1)
        except grpc.RpcError as e:
            got.put(e)

    threading.Thread(target=reader, daemon=True).start()
    recs = []
    end = time.time() + seconds
    stop_at = None
    while stop_at is None or time.time() < stop_at:
        try:
            ev = got.get(timeout=0.2)
        except queue.Empty:
            ev = None
        if time.time() >= end:
            fast.set()
        if ev is None:
            continue
        if isinstance(ev, grpc.RpcError):
            recs.append({"error": str(ev.code())})
            break
        kind = ev.WhichOneof("event")
        rec = {"kind": kind, "slow": not fast.is_set()}
        if kind == "rate_limit_info":
            rec["dropped"] = ev.rate_limit_info.number_of_dropped_process_events
        recs.append(rec)
        if kind == "process_exec" and ev.process_exec.process.binary == marker and not stop_at:
            stop_at = time.time() + 3
    stream.cancel()
    ch.close()
    with open(out, "w") as f:
        for r in recs:
            f.write(json.dumps(r) + "\n")


def raw_call(ch, method, payload, timeout=10):
    fn = ch.unary_unary(method, request_serializer=None, response_deserializer=None)
    try:
        fn(payload, timeout=timeout)
        return grpc.StatusCode.OK, ""
    except grpc.RpcError as e:
        return e.code(), e.details() or ""


def unix_path(addr):
    return addr[len("unix:"):] if addr.startswith("unix:") else None


def bad(addr, big_file):
    ch, c = stub(addr)
    code, msg = raw_call(ch, "/tetragon.FineGuidanceSensors/AddTracingPolicy",
                         b"\x0a\xff\xff\xff\xff\x0f garbage")
    check("malformed request bytes are INVALID_ARGUMENT, saying so",
          code == grpc.StatusCode.INVALID_ARGUMENT and "not a valid" in msg,
          "%s %s" % (code, msg))
    code, msg = raw_call(ch, "/tetragon.FineGuidanceSensors/GetVersion", b"\xff")
    check("a malformed empty-message request is INVALID_ARGUMENT",
          code == grpc.StatusCode.INVALID_ARGUMENT, "%s %s" % (code, msg))
    code, msg = raw_call(ch, "/tetragon.FineGuidanceSensors/ListSensors", b"")
    check("a method vigild does not serve is UNIMPLEMENTED",
          code == grpc.StatusCode.UNIMPLEMENTED and "ListSensors" in msg, "%s %s" % (code, msg))
    code, msg = raw_call(ch, "/no.Such/Thing", b"")
    check("an unknown service is UNIMPLEMENTED", code == grpc.StatusCode.UNIMPLEMENTED,
          "%s %s" % (code, msg))

    with open(big_file) as f:
        big = f.read()
    code, msg = code_of(lambda: c.AddTracingPolicy(
        sensors_pb2.AddTracingPolicyRequest(yaml=big), timeout=60))
    check("a 10 MB policy is refused with its size and the limit",
          code == grpc.StatusCode.RESOURCE_EXHAUSTED and "at most 4194304" in msg,
          "%s %s" % (code, msg))
    huge = "#" * (17 << 20)
    code, msg = code_of(lambda: c.AddTracingPolicy(
        sensors_pb2.AddTracingPolicyRequest(yaml=huge), timeout=60))
    check("a request over 16 MiB is RESOURCE_EXHAUSTED", code == grpc.StatusCode.RESOURCE_EXHAUSTED,
          "%s %s" % (code, msg))

    req = sensors_pb2.ConfigureTracingPolicyRequest(name="x")
    req.mode = 99  # proto3 enums are open: an unknown value goes on the wire
    code, msg = code_of(lambda: c.ConfigureTracingPolicy(req, timeout=10))
    check("an unknown enum value is INVALID_ARGUMENT naming it",
          code == grpc.StatusCode.INVALID_ARGUMENT and "99" in msg, "%s %s" % (code, msg))
    f = events_pb2.Filter()
    f.event_set.append(12345)
    stream = c.GetEvents(events_pb2.GetEventsRequest(allow_list=[f]), timeout=2)
    try:
        for _ in stream:
            pass
        code = grpc.StatusCode.OK
    except grpc.RpcError as e:
        code = e.code()
    check("GetEvents with an unknown event type ends cleanly (refused or streamed)",
          code in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.DEADLINE_EXCEEDED),
          str(code))

    path = unix_path(addr)
    if path:
        for junk in (b"GET / HTTP/1.1\r\n\r\n", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + os.urandom(512),
                     os.urandom(4096)):
            s = socket.socket(socket.AF_UNIX)
            s.settimeout(5)
            s.connect(path)
            try:
                s.sendall(junk)
                s.recv(4096)
            except OSError:
                pass
            s.close()
        v = c.GetVersion(sensors_pb2.GetVersionRequest(), timeout=10)
        check("garbage on the socket (HTTP/1, broken HTTP/2 frames, noise) harms nothing",
              v.version != "")

    # A stream that is never read, and a connection that never speaks.
    quiet = socket.socket(socket.AF_UNIX) if path else None
    if quiet:
        quiet.connect(path)
    ch2, c2 = stub(addr, slow=True)
    unread = c2.GetEvents(events_pb2.GetEventsRequest())

    results = []
    lock = threading.Lock()

    def one():
        ch3, c3 = stub(addr)
        try:
            r = c3.GetVersion(sensors_pb2.GetVersionRequest(), timeout=30)
            s = c3.GetEvents(events_pb2.GetEventsRequest(), timeout=3)
            n = 0
            try:
                for _ in s:
                    n += 1
            except grpc.RpcError as e:
                if e.code() != grpc.StatusCode.DEADLINE_EXCEEDED:
                    raise
            with lock:
                results.append(r.version != "")
        except grpc.RpcError as e:
            with lock:
                results.append("%s %s" % (e.code(), e.details()))
        ch3.close()

    threads = [threading.Thread(target=one) for _ in range(100)]
    for t in threads:
        t.start()
    for _ in range(20):
        subprocess.run(["/bin/true"])
    for t in threads:
        t.join(60)
    good = sum(1 for r in results if r is True)
    check("100 clients at once each get a version and a stream", good == 100,
          "%d of 100: %r" % (good, [r for r in results if r is not True][:3]))
    h = c.GetHealth(tetragon_pb2.GetHealthStatusRequest(), timeout=10)
    check("vigild still answers beside a stream never read and a silent connection",
          h.health_status[0].status == tetragon_pb2.HEALTH_STATUS_RUNNING, repr(h))
    unread.cancel()
    ch2.close()
    if quiet:
        quiet.close()
    ch.close()


def main():
    mode = sys.argv[2]
    if mode == "interop":
        interop(*sys.argv[3:7])
    elif mode == "slow":
        slow(sys.argv[3], float(sys.argv[4]), sys.argv[5], sys.argv[6])
    elif mode == "bad":
        bad(sys.argv[3], sys.argv[4])
    else:
        print("usage: see the header of this file", file=sys.stderr)
        sys.exit(2)
    sys.exit(1 if FAILS else 0)


if __name__ == "__main__":
    main()
