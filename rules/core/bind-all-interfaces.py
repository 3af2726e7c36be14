import asyncio
import logging
import os
import socket
from http.server import HTTPServer, SimpleHTTPRequestHandler

import gradio as gr
import uvicorn
from flask import Flask

app = Flask(__name__)
log = logging.getLogger(__name__)
demo = gr.Interface(fn=str.upper, inputs="text", outputs="text")

# ruleid: CG-CORE025
uvicorn.run("service.api:app", host="0.0.0.0", port=8000)
# ruleid: CG-CORE025
app.run(host="0.0.0.0", port=5000)

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# ruleid: CG-CORE025
server.bind(("0.0.0.0", 9000))
# ruleid: CG-CORE025
httpd = HTTPServer(("0.0.0.0", 8080), SimpleHTTPRequestHandler)

PUBLIC = "::"
# ruleid: CG-CORE025
uvicorn.run("service.api:app", host=PUBLIC, port=8000)


async def main(handler):
    # ruleid: CG-CORE025
    srv = await asyncio.start_server(handler, "0.0.0.0", 7000)
    # ok: CG-CORE025
    local = await asyncio.start_server(handler, "127.0.0.1", 7001)
    return srv, local


# ruleid: CG-CORE025
demo.launch(server_name="0.0.0.0", server_port=7860)
# ok: CG-CORE025
demo.launch(server_name="127.0.0.1", server_port=7860)
# ok: CG-CORE025
uvicorn.run("service.api:app", host="127.0.0.1", port=8000)
# ok: CG-CORE025
app.run(host="localhost", port=5000)
# ok: CG-CORE025
server.bind(("127.0.0.1", 9000))
# ok: CG-CORE025
uvicorn.run("service.api:app", host=os.environ.get("HOST", "127.0.0.1"))
host = os.environ["BIND_HOST"]
# ok: CG-CORE025
if host == "0.0.0.0":
    # ok: CG-CORE025
    log.warning("listening on %s, reachable from the network", "0.0.0.0")
# ok: CG-CORE025
client = socket.create_connection(("0.0.0.0", 9000))
