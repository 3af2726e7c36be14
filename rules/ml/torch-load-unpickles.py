import tempfile

import torch
import torch as T
from torch import load as tl
from torch.serialization import load as ser_load


def restore(ckpt_path, user_path):
    # ruleid: CG-ML001
    state = torch.load(ckpt_path, map_location="cpu", weights_only=False)
    # ruleid: CG-ML001
    state = T.load(ckpt_path)
    # ruleid: CG-ML001
    state = tl(ckpt_path, weights_only=0)
    # ruleid: CG-ML001
    state = ser_load(ckpt_path, pickle_module=__import__("dill"))
    unsafe = False
    # ruleid: CG-ML001
    state = torch.load(ckpt_path, weights_only=unsafe)
    # ruleid: CG-ML001
    state = torch.load(ckpt_path, **{"weights_only": False})
    # ruleid: CG-ML001
    net = torch.jit.load(user_path)

    # ok: CG-ML001
    state = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    opts = {"weights_only": True}
    # ok: CG-ML001
    state = torch.load(ckpt_path, **opts)
    # ok: CG-ML001
    net = torch.jit.load("assets/model.pt")
    # ok: CG-ML001
    state = model.load(ckpt_path)
    # ok: CG-ML001
    data = json.load(open(ckpt_path))
    return state


def round_trip(model, tmpdir):
    path = os.path.join(tmpdir, "rng.pt")
    torch.save(model.state_dict(), path)
    # What the same function just wrote is its own data.
    # ok: CG-ML001
    state = torch.load(path, weights_only=False)
    # ok: CG-ML001
    again = torch.load(os.path.join(tmpdir, "rng.pt"), weights_only=False)
    # ruleid: CG-ML001
    other = torch.load(os.path.join(tmpdir, "other.pt"), weights_only=False)
    return state, again, other


def fit_and_read_back(trainer, model, shared_dir):
    with tempfile.TemporaryDirectory() as tempdir:
        trainer.fit(model, tmp=tempdir)
        tensors = os.path.join(tempdir, "io.pt")
        # A private directory this function created: only this process wrote there.
        # ok: CG-ML001
        inputs, outputs = torch.load(tensors, weights_only=False)
    # A directory someone else handed in is not.
    # ruleid: CG-ML001
    cached = torch.load(os.path.join(shared_dir, "io.pt"), weights_only=False)
    return inputs, outputs, cached
