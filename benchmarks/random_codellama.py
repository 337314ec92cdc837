"""A checkpoint with CodeLlama-7B's exact shape and random weights, for GPU benchmarks without the hub.

Memory and time depend on the shape, not on the weights' values, so this stands in for
``codellama/CodeLlama-7b-Instruct-hf`` wherever a benchmark measures cost. It is loaded through the production
``models.load_model`` like any local checkpoint.

    python benchmarks/random_codellama.py /tmp/random-codellama-7b [--tokenizer DIR] [--layers N --hidden H]

``--layers/--hidden`` shrink it for a dry run on a CPU; the tokenizer (any Llama-family tokenizer; token ids are
taken modulo the vocabulary) defaults to the offline SmolLM2 checkpoint's.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch

CODELLAMA_7B_SHAPE = dict(vocab_size=32016, hidden_size=4096, intermediate_size=11008, num_hidden_layers=32,
                          num_attention_heads=32, num_key_value_heads=32, max_position_embeddings=16384,
                          rope_theta=1e6)


def build(path: str | Path, tokenizer_dir: str | Path | None = None, layers: int | None = None,
          hidden: int | None = None) -> Path:
    """Write the checkpoint (fp16 safetensors) once; later calls return the existing directory."""
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    path = Path(path)
    if (path / "config.json").exists():
        return path
    shape = dict(CODELLAMA_7B_SHAPE)
    if layers:
        shape["num_hidden_layers"] = layers
    if hidden:
        shape.update(hidden_size=hidden, intermediate_size=hidden * 11008 // 4096)
    if tokenizer_dir is None:
        from tsp_utils import models

        tokenizer_dir = models.offline_checkpoint()
    start = time.perf_counter()
    # Initialising 6.7B parameters is minutes on a CPU and seconds on a GPU.
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(0)
    with torch.device(device):
        model = LlamaForCausalLM(LlamaConfig(**shape)).to(torch.float16)
    model.save_pretrained(path)
    AutoTokenizer.from_pretrained(str(tokenizer_dir)).save_pretrained(path)
    n = sum(p.numel() for p in model.parameters())
    del model
    if device == "cuda":
        torch.cuda.empty_cache()
    print(f"random CodeLlama-7B-shaped checkpoint: {n / 1e9:.2f}B parameters, written to {path} "
          f"in {time.perf_counter() - start:.0f} s")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path")
    ap.add_argument("--tokenizer", default=None)
    ap.add_argument("--layers", type=int, default=None)
    ap.add_argument("--hidden", type=int, default=None)
    args = ap.parse_args()
    build(args.path, args.tokenizer, args.layers, args.hidden)


if __name__ == "__main__":
    main()
