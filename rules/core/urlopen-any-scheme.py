import urllib.request
from urllib.request import Request, urlopen, urlretrieve


def fetch(url, name):
    # ruleid: CG-CORE038
    body = urlopen(url, timeout=10).read()
    # ruleid: CG-CORE038
    urlretrieve(f"{url}/{name}", name)
    # ruleid: CG-CORE038
    req = Request(url, headers={"User-Agent": "x"})
    # A Request passed on was judged where it was built.
    # ok: CG-CORE038
    body = urlopen(req, timeout=10).read()
    # ruleid: CG-CORE038
    urllib.request.urlopen("file:///etc/passwd")
    # ruleid: CG-CORE038
    urllib.request.urlopen("ftp://mirror.example.org/pub/file.txt")

    # The code writes the scheme and host.
    # ok: CG-CORE038
    urllib.request.urlopen("https://pypi.org/simple/", timeout=10)
    # ok: CG-CORE038
    urlopen(f"https://api.example.com/users/{name}", timeout=10)
    # ok: CG-CORE038
    urlretrieve("https://example.com/" + name, name)
    # ok: CG-CORE038
    urlopen(Request("https://example.com/x", method="POST"))
    return body
