#!/usr/bin/env python3
"""Writes a synthetic PyTorch-style zip checkpoint of about SIZE_MB megabytes (standard library
only): `archive/data.pkl` holding a state dict of TENSORS float32 tensors, as `torch.save`
pickles it, and one stored member of raw bytes per tensor. With `--poisoned`, the state dict
also carries an object whose `__reduce__` is `os.system` (never loaded here).

usage: make_checkpoint.py OUT.pt [--size-mb 1024] [--tensors 256] [--poisoned]
"""

import argparse
import collections
import os
import pickle
import sys
import types
import zipfile


def standin(name, **attrs):
    mod = sys.modules.get(name) or types.ModuleType(name)
    for key, value in attrs.items():
        value.__module__, value.__qualname__, value.__name__ = name, key, key
        setattr(mod, key, value)
    sys.modules[name] = mod
    return mod


def _rebuild_tensor_v2(*args):
    raise AssertionError


class FloatStorage:
    pass


standin("torch._utils", _rebuild_tensor_v2=_rebuild_tensor_v2)
standin("torch", FloatStorage=FloatStorage)


class Storage:
    def __init__(self, key, numel):
        self.pid = ("storage", FloatStorage, key, "cpu", numel)


class Tensor:
    def __init__(self, key, numel):
        self.key, self.numel = key, numel

    def __reduce__(self):
        return (_rebuild_tensor_v2, (Storage(self.key, self.numel), 0, (self.numel,), (1,), False, collections.OrderedDict()))


class RunsCommand:
    def __reduce__(self):
        return (os.system, ("id",))


class TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        return obj.pid if isinstance(obj, Storage) else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--size-mb", type=int, default=1024)
    ap.add_argument("--tensors", type=int, default=256)
    ap.add_argument("--poisoned", action="store_true")
    args = ap.parse_args()
    per_tensor = args.size_mb * 1024 * 1024 // args.tensors
    numel = per_tensor // 4
    state = collections.OrderedDict(
        (f"layers.{i}.weight", Tensor(str(i), numel)) for i in range(args.tensors)
    )
    obj = {"model": state, "hook": RunsCommand()} if args.poisoned else state
    with open(args.out + ".pkl.tmp", "wb") as f:
        TorchPickler(f, protocol=2).dump(obj)
    with open(args.out + ".pkl.tmp", "rb") as f:
        data_pkl = f.read()
    os.remove(args.out + ".pkl.tmp")
    chunk = os.urandom(1 << 20)
    with zipfile.ZipFile(args.out, "w", zipfile.ZIP_STORED, allowZip64=True) as z:
        z.writestr("archive/data.pkl", data_pkl)
        for i in range(args.tensors):
            with z.open(f"archive/data/{i}", "w", force_zip64=True) as m:
                left = numel * 4
                while left > 0:
                    n = min(left, len(chunk))
                    m.write(chunk[:n])
                    left -= n
        z.writestr("archive/version", "3\n")


if __name__ == "__main__":
    main()
