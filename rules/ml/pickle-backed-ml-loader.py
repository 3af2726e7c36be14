import joblib
import numpy as np
import pandas as pd
import pickle
from huggingface_hub import hf_hub_download
from langchain_community.vectorstores import FAISS
from transformers import AutoModel


def load_all(emb, path):
    # ruleid: CG-ML002
    clf = joblib.load(hf_hub_download("acme/churn-model", "model.joblib"))
    # ruleid: CG-ML002
    df = pd.read_pickle(path)
    # ruleid: CG-ML002
    arr = np.load(path, allow_pickle=True)
    # ruleid: CG-ML002
    model = pickle.load(open("model.pkl", "rb"))
    # ruleid: CG-ML002
    m = AutoModel.from_pretrained("./local-model", use_safetensors=False)
    # ruleid: CG-ML002
    db = FAISS.load_local("index", emb, allow_dangerous_deserialization=True)

    # ok: CG-ML002
    arr = np.load("emb.npy")
    # ok: CG-ML002
    arr = np.load(path, allow_pickle=False)
    # ok: CG-ML002
    cfg = pickle.loads(message_bytes)
    # ok: CG-ML002
    m = AutoModel.from_pretrained("./local-model", use_safetensors=True)
    # ok: CG-ML002
    db = FAISS.load_local("index", emb)
    # ok: CG-ML002
    text = load(path)
    # ok: CG-ML002
    db = FAISS.load_local("index", emb, allow_dangerous_deserialization=allow_dangerous_deserialization)
    return clf


def cache_round_trip(store, folder, embeddings):
    store.save_local(folder)
    # ok: CG-ML002
    restored = FAISS.load_local(folder, embeddings, allow_dangerous_deserialization=True)
    with open("state.pkl", "wb") as fh:
        pickle.dump(restored, fh)
    # ok: CG-ML002
    model = pickle.load(open("state.pkl", "rb"))
    # ruleid: CG-ML002
    other = pickle.load(open("model.pkl", "rb"))
    return model, other
