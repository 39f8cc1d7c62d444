"""The streaming room contract as a FastAPI/uvicorn service would serve it, for `make bench`.

The part of the contract streambench drives: viewers on /ws/rooms/{room}, producers on
POST /ingest/reports (bearer token, {"room", "payload"}, 202 with the sequence), every event
sent to the room's viewers as {"room", "seq", "ts", "payload"}. One process, uvloop and
httptools, as `uvicorn app:app` runs by default when they are installed.

    python3 fastapi_rooms.py PORT TOKEN
"""
import json
import sys
import time

import uvicorn
from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse

port = int(sys.argv[1])
token = sys.argv[2]
app = FastAPI()
rooms: dict[str, set[WebSocket]] = {}
state = {"seq": 0}


@app.get("/healthz")
async def healthz():
    return {"status": "ok"}


@app.websocket("/ws/rooms/{room}")
async def viewer(websocket: WebSocket, room: str):
    await websocket.accept()
    viewers = rooms.setdefault(room, set())
    viewers.add(websocket)
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect:
        pass
    finally:
        viewers.discard(websocket)


@app.post("/ingest/reports")
async def ingest(request: Request):
    if request.headers.get("authorization") != "Bearer " + token:
        return JSONResponse({"error": "unauthorized"}, status_code=401)
    try:
        body = await request.json()
        room = body.get("room") or "public-room"
        payload = body["payload"]
    except Exception:
        return JSONResponse({"error": "bad_request"}, status_code=400)
    state["seq"] += 1
    seq = state["seq"]
    text = json.dumps({"room": room, "seq": seq, "ts": int(time.time() * 1000), "payload": payload}, separators=(",", ":"))
    for websocket in list(rooms.get(room, ())):
        try:
            await websocket.send_text(text)
        except Exception:
            rooms[room].discard(websocket)
    return JSONResponse({"room": room, "seq": seq}, status_code=202)


uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", ws_max_size=65536)
