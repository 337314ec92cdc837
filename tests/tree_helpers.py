"""What the tree-growing and labeling tests share: the tiny model and a sampler that returns fixed text."""

import pytest

from tsp_utils import models
from tsp_utils.sampling import BranchResult, Continuation


@pytest.fixture(scope="module")
def tiny(tiny_llama_dir):
    return models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)


class ScriptedSampler:
    """Returns fixed continuations so a test can build exactly the tree it needs."""

    def __init__(self, tokenizer, texts_by_level):
        self.tok, self.texts_by_level, self.level = tokenizer, texts_by_level, 0
        self.requests = []

    def __call__(self, requests, seed):
        self.requests.append(requests)
        texts = self.texts_by_level[self.level]
        self.level += 1
        out = []
        for req in requests:
            conts = [Continuation(self.tok(t, add_special_tokens=False)["input_ids"], [-0.5] * len(self.tok(t, add_special_tokens=False)["input_ids"]), True) for t in texts[:req.k]]
            out.append(BranchResult(req.key, 1.0, conts))
        return out
