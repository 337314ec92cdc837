"""The evaluation protocol: prompt selection, model discovery, and scoring one model into the run folder."""

import pytest

from tsp_utils import data
from tsp_utils.config import resolve_config
from tsp_utils.evaluation import protocol, score
from tsp_utils.layout import RunLayout

from evaluation_rows import scored_row


def test_select_prompts_keeps_every_language_and_split():
    prompts = data.load_eval_prompts()
    chosen = protocol.select_prompts(prompts, 16, seed=1)
    assert len(chosen) == 16 and len({p.id for p in chosen}) == 16
    assert {(p.language, p.split) for p in chosen} == {(p.language, p.split) for p in prompts}
    assert protocol.select_prompts(prompts, 16, seed=1) == chosen  # deterministic
    assert protocol.select_prompts(prompts, None) == list(prompts)


def test_model_specs_name_the_missing_adapter(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"adapters/sft/iter_2/adapter is missing: run notebook 03"):
        protocol.model_specs(tmp_path, ["sft"], 2, each_iteration=False)
    for it in (1, 2):
        d = tmp_path / "adapters" / "sft" / f"iter_{it}" / "adapter"
        d.mkdir(parents=True)
        (d / "adapter_config.json").write_text("{}")
    names = [s.name for s in protocol.model_specs(tmp_path, ["sft"], 2, each_iteration=True)]
    assert names == ["base", "sft@1", "sft"]


def test_one_pass_scores_the_utility_tasks_too_and_a_later_call_reads_them(tmp_path, monkeypatch):
    prompts, utility = data.load_eval_prompts()[:3], data.load_utility_tasks()[:2]
    calls = []

    def fake_evaluate(model, tokenizer, ps, **kw):
        calls.append([p.id for p in ps])
        return [scored_row(p.id, "secure", lang=p.language) for p in ps]

    monkeypatch.setattr(score, "evaluate_model", fake_evaluate)
    cfg = resolve_config("smoke")
    spec = protocol.ModelSpec("base", None)
    main = protocol.evaluate_spec(spec, object(), None, prompts, tmp_path, cfg=cfg, also={"utility": utility})
    assert len(calls) == 1 and sorted(calls[0]) == sorted(p.id for p in prompts + utility)  # one pass for both
    assert [s.prompt_id for s in main] == [p.id for p in prompts]
    saved = score.load_scored(RunLayout(tmp_path).scored("utility-base"))
    assert [s.prompt_id for s in saved] == [p.id for p in utility]
    again = protocol.evaluate_spec(protocol.ModelSpec("utility-base", None), object(), None, utility, tmp_path,
                                   cfg=cfg)
    assert len(calls) == 1 and [s.prompt_id for s in again] == [p.id for p in utility]  # read, not regenerated
    with pytest.raises(ValueError, match="repeat"):
        protocol.evaluate_spec(protocol.ModelSpec("other", None), object(), None, prompts, tmp_path, cfg=cfg,
                               also={"utility": prompts[:1]})
