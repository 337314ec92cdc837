"""The transfer experiment: which scored model already is a transfer row, and the training budget."""

from tsp_utils import transfer


def test_all_languages_transfer_row_is_tsp_oracles_first_iteration(tmp_path):
    from types import SimpleNamespace

    scored = {"base": [], "tsp-oracle@1": [], "tsp-oracle": []}
    assert transfer.same_as_transfer("all", scored, iterations=2) == "tsp-oracle@1"
    assert transfer.same_as_transfer("all", scored, iterations=1) == "tsp-oracle"
    assert transfer.same_as_transfer("c/cpp", scored, iterations=2) is None
    assert transfer.same_as_transfer("all", {"base": []}, iterations=2) is None
    cfg = SimpleNamespace(train_budget=None)
    assert transfer.training_budget(tmp_path, cfg, fallback=7) == 7
    (tmp_path / "pair_stats_iter_0.json").write_text('{"budget": 11}')
    assert transfer.training_budget(tmp_path, cfg, fallback=7) == 11


def test_a_group_whose_pairs_are_another_groups_is_not_trained_again():
    assert transfer.coinciding_groups({"c", "cpp"}) == {"c/cpp": "all"}  # only C/C++ trees gave pairs
    assert transfer.coinciding_groups({"c"}) == {"c/cpp": "all"}
    assert transfer.coinciding_groups({"c", "python"}) == {}  # python pairs: "all" trains on more
    assert transfer.coinciding_groups({"python", "go"}) == {}  # c/cpp has none: skipped, not a copy of "all"
