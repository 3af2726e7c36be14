import keras
import tensorflow as tf
from keras.saving import load_model


def restore(downloaded_path):
    # ruleid: CG-ML003
    model = keras.saving.load_model(downloaded_path, safe_mode=False)
    # ruleid: CG-ML003
    model = tf.keras.models.load_model(downloaded_path, compile=False, safe_mode=False)
    # ruleid: CG-ML003
    keras.config.enable_unsafe_deserialization()
    # ruleid: CG-ML003
    model = load_model(downloaded_path, safe_mode=False)

    # ok: CG-ML003
    model = keras.saving.load_model("artifacts/ranker.keras")
    # ok: CG-ML003
    model = keras.saving.load_model(downloaded_path, safe_mode=True)
    # ok: CG-ML003
    model.load_weights("x.weights.h5")
    return model
