"""The streaming room contract as a uWebSockets service (socketify) would serve it, for `make bench`.

The part of the contract streambench drives: viewers on /ws/rooms/{room}, producers on
POST /ingest/reports (bearer token, {"room", "payload"}, 202 with the sequence), every event
published once to the room's topic as {"room", "seq", "ts", "payload"}: uWebSockets' own
pub/sub writes it to each subscriber.

    python3 uws_rooms.py PORT TOKEN
"""
import json, sys, time
from socketify import App, OpCode, CompressOptions

port = int(sys.argv[1])
token = sys.argv[2]
app = App()
state = {"seq": 0}

def upgrade(res, req, context):
    room = req.get_parameter(0)
    res.upgrade(req.get_header("sec-websocket-key"), req.get_header("sec-websocket-protocol"),
                req.get_header("sec-websocket-extensions"), context, room)

def opened(ws):
    ws.subscribe(ws.get_user_data())

def ingest(res, req):
    if req.get_header("authorization") != "Bearer " + token:
        res.write_status(401).write_header("Content-Type", "application/json").end('{"error":"unauthorized"}')
        return
    chunks = []
    def on_data(res, chunk, is_end):
        if chunk is not None:
            chunks.append(chunk)
        if not is_end:
            return
        try:
            body = json.loads(b"".join(chunks))
            room = body.get("room") or "public-room"
            payload = body["payload"]
        except Exception:
            res.write_status(400).write_header("Content-Type", "application/json").end('{"error":"bad_request"}')
            return
        state["seq"] += 1
        seq = state["seq"]
        envelope = json.dumps({"room": room, "seq": seq, "ts": int(time.time() * 1000), "payload": payload}, separators=(",", ":"))
        app.publish(room, envelope, OpCode.TEXT)
        res.write_status(202).write_header("Content-Type", "application/json").end('{"room":%s,"seq":%d}' % (json.dumps(room), seq))
    res.on_data(on_data)

app.get("/healthz", lambda res, req: res.end("ok"))
app.post("/ingest/reports", ingest)
app.ws("/ws/rooms/:room", {"compression": CompressOptions.DISABLED, "max_payload_length": 64 * 1024,
                           "idle_timeout": 120, "upgrade": upgrade, "open": opened})
app.listen(port, lambda config: print("uws rooms on", port, flush=True))
app.run()
