"""This module does not use the HTTP library: `requests` is a queue of pending work."""
import asyncio


async def worker(requests: asyncio.Queue, handle):
    while True:
        # ok: CG-CORE026
        item = await requests.get()
        handle(item)
        # ok: CG-CORE026
        requests.put(item)
