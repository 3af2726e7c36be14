import httpx
import requests
from requests import post

API = "https://api.example.com"
DEFAULT_TIMEOUT = 10

# ruleid: CG-CORE026
items = requests.get(f"{API}/items", params={"page": 1})
# ruleid: CG-CORE026
created = post(f"{API}/items", json={"name": "widget"})
# ruleid: CG-CORE026
requests.request("DELETE", f"{API}/items/1", timeout=None)
# ruleid: CG-CORE026
requests.put(f"{API}/items/1", data=b"...", headers={"X-Trace": "1"})


def fetch(url, **kwargs):
    # ok: CG-CORE026
    return requests.get(url, **kwargs)


# ok: CG-CORE026
items = requests.get(f"{API}/items", params={"page": 1}, timeout=5)
# ok: CG-CORE026
created = post(f"{API}/items", json={"name": "widget"}, timeout=DEFAULT_TIMEOUT)
# ok: CG-CORE026
requests.request("DELETE", f"{API}/items/1", timeout=(3.05, 27))
session = requests.Session()
# ok: CG-CORE026
session.get(f"{API}/items")
# ok: CG-CORE026
httpx.get(f"{API}/items")


async def drain(requests, results):
    # ok: CG-CORE026
    await requests.get()
    # ok: CG-CORE026
    requests.put_nowait(None)
