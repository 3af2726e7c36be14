import base64
import pickle
import yaml
from yaml import CSafeLoader as FastSafeLoader
from yaml import UnsafeLoader as FastLoader


def load(request, stream):
    # ruleid: CG-CORE009
    prefs = pickle.loads(base64.b64decode(request.cookies["prefs"]))
    # ruleid: CG-CORE009
    cfg = yaml.load(stream)
    # ruleid: CG-CORE009
    cfg = yaml.load(stream, Loader=yaml.Loader)
    # ruleid: CG-CORE009
    cfg = yaml.unsafe_load(stream)

    # ok: CG-CORE009
    cfg = yaml.safe_load(stream)
    # ok: CG-CORE009
    cfg = yaml.load(stream, Loader=yaml.SafeLoader)
    # ok: CG-CORE009
    model = pickle.load(open("model.pkl", "rb"))
    # ok: CG-CORE009
    data = json.loads(stream)


def load_fast(stream):
    # ok: CG-CORE009
    safe = yaml.load(stream, Loader=FastSafeLoader)
    # ruleid: CG-CORE009
    unsafe = yaml.load(stream, Loader=FastLoader)
    return safe, unsafe


def round_trip(value, received):
    # ok: CG-CORE009
    copy = pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    dumped = pickle.dumps(value)
    # ok: CG-CORE009
    again = pickle.loads(dumped)
    # ruleid: CG-CORE009
    other = pickle.loads(received)
    return copy, again, other
