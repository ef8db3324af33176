# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""Generates a seeded, deterministic experiment-tracker export and its gold answers.

Layout written under OUT/runs/<8-hex id>/:
  metadata.json          id, name, status, project, script, times, tags, git, dependencies
  params.yaml            nested run configuration
  metrics.json           step records (absent for some runs); train runs write wide
                         records {step, train_loss, lr, grad_norm[, val_loss]}, eval
                         runs long records {step, key, value}; non-finite values are the
                         bare tokens NaN / Infinity / -Infinity, as Python's json.dump writes
  artifacts/stdout.txt   the run's log
  artifacts/stderr.txt   warnings, and a traceback for runs that did not complete
  artifacts/changes.patch  for dirty runs (sometimes declared in metadata but missing)

OUT/gold.json holds the answers of the five tasks of tasks.json, computed from the
generator's own state (never by reading the files back), and OUT/corpus.json a summary.

Usage: gen_corpus.py --out DIR [--runs 875] [--seed 6]
"""
import argparse
import datetime
import hashlib
import json
import math
import os
import random
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))

SCRIPT_MIX = [  # (script, share of runs, minimum count)
    ("train.py", 0.33, 12),
    ("train_ddp.py", 0.035, 2),
    ("eval.py", 0.30, 12),
    ("sample_tabdiff.py", 0.20, 8),
    ("preprocess.py", 0.07, 2),
    ("tune.py", 0.065, 2),
]
DATASETS = [  # (name, weight); "adult" is rare on purpose and "adult-small" is a near miss
    ("adult", 1.0), ("adult-small", 1.5), ("census", 2.0), ("credit", 2.0), ("diabetes", 2.0),
    ("shoppers", 2.0), ("magic", 2.0), ("beijing", 2.0), ("news", 1.5), ("default", 1.0),
]
PROJECTS = {"train.py": "tabdiff", "train_ddp.py": "tabdiff", "eval.py": "tabdiff-eval",
            "sample_tabdiff.py": "tabdiff", "preprocess.py": "data-prep", "tune.py": "tabdiff-sweeps"}
LRS = [1e-4, 2e-4, 3e-4, 5e-4, 1e-3, 5e-5]
BATCHES = [64, 128, 256, 512, 1024]
DETECTORS = ["logistic", "xgboost", "catboost", "mlp", "rf"]
COLUMNS = ["age", "workclass", "fnlwgt", "education", "education_num", "marital_status",
           "occupation", "relationship", "race", "sex", "capital_gain", "capital_loss",
           "hours_per_week", "native_country"]
WORDS = ["alpha", "bravo", "cedar", "delta", "ember", "fjord", "gale", "harbor", "iris", "juniper",
         "kite", "lumen", "maple", "nova", "orbit", "pine", "quill", "river", "sage", "tide"]
# Runs that do not complete: (script, status, how). The quick list covers every kind.
INCOMPLETE_FULL = [
    ("train.py", "failed", "oom"), ("train.py", "cancelled", "ki2"),
    ("train.py", "failed", "ki_then_error"), ("eval.py", "cancelled", "ki1"),
    ("tune.py", "cancelled", "sigterm"), ("train.py", "cancelled", "ki1"),
    ("train.py", "failed", "nan_error"), ("eval.py", "failed", "file_missing"),
    ("sample_tabdiff.py", "failed", "oom"), ("preprocess.py", "failed", "value_error"),
    ("train_ddp.py", "cancelled", "ki2"), ("train.py", "cancelled", "sigterm"),
]
INCOMPLETE_QUICK = INCOMPLETE_FULL[:5]
BASE_TIME = datetime.datetime(2024, 1, 8, 9, 0, 0, tzinfo=datetime.timezone.utc)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def finite(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


# ---------------------------------------------------------------- YAML writer
def yaml_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        s = repr(v)
        if "e" in s and "." not in s:  # YAML 1.1 floats need a dot: 5e-05 -> 5.0e-05
            mant, exp = s.split("e")
            s = mant + ".0e" + exp
        return s
    if isinstance(v, list):
        return "[" + ", ".join(yaml_scalar(x) for x in v) + "]"
    s = str(v)
    plain = s and all(c.isalnum() or c in "-_./" for c in s) and not s[0].isdigit() \
        and s.lower() not in ("yes", "no", "on", "off", "true", "false", "null", "y", "n")
    return s if plain else json.dumps(s)


def to_yaml(d, indent=0):
    out = []
    for k, v in d.items():
        if isinstance(v, dict):
            out.append(" " * indent + f"{k}:")
            out.append(to_yaml(v, indent + 2))
        else:
            out.append(" " * indent + f"{k}: {yaml_scalar(v)}")
    return "\n".join(out)


# ---------------------------------------------------------------- run building
class Corpus:
    def __init__(self, n, seed):
        self.n = n
        self.rng = random.Random(seed)
        self.runs = []

    def ids(self):
        seen, out = set(), []
        while len(out) < self.n:
            h = "%08x" % self.rng.getrandbits(32)
            if h not in seen:
                seen.add(h)
                out.append(h)
        return out

    def script_plan(self):
        counts = []
        for script, share, minimum in SCRIPT_MIX:
            counts.append(max(minimum, int(round(share * self.n))))
        counts[0] += self.n - sum(counts)  # train.py absorbs rounding
        plan = []
        for (script, _, _), c in zip(SCRIPT_MIX, counts):
            plan += [script] * c
        self.rng.shuffle(plan)
        return plan

    def dataset(self):
        names = [d for d, _ in DATASETS]
        return self.rng.choices(names, weights=[w for _, w in DATASETS])[0]

    def build(self):
        rng = self.rng
        ids = self.ids()
        scripts = self.script_plan()
        incomplete = INCOMPLETE_FULL if self.n >= 200 else INCOMPLETE_QUICK
        # Assign each incomplete spec to a distinct run of its script.
        fate = {}
        for script, status, how in incomplete:
            cands = [i for i, s in enumerate(scripts) if s == script and i not in fate]
            fate[rng.choice(cands)] = (status, how)
        t = BASE_TIME
        for i, (rid, script) in enumerate(zip(ids, scripts)):
            t += datetime.timedelta(seconds=rng.randint(300, 5400))
            status, how = fate.get(i, ("completed", None))
            run = {"id": rid, "script": script, "status": status, "how": how, "created": t,
                   "dataset": self.dataset(), "seq": i}
            self.runs.append(run)
        # T3 needs at least two sample runs on adult, and name traps in both directions.
        samples = [r for r in self.runs if r["script"] == "sample_tabdiff.py"]
        adult = [r for r in samples if r["dataset"] == "adult"]
        for r in samples:
            if len(adult) >= 2:
                break
            if r["dataset"] != "adult":
                r["dataset"] = "adult"
                adult.append(r)
        for r in self.runs:
            getattr(self, "make_" + r["script"].replace(".py", ""))(r)
        self.name_runs(samples)
        self.plant_ties()
        for r in self.runs:
            self.finish(r)

    # ---- names
    def name_runs(self, samples):
        rng = self.rng
        for r in self.runs:
            stem = {"train.py": "train", "train_ddp.py": "ddp", "eval.py": "eval",
                    "sample_tabdiff.py": "sample", "preprocess.py": "prep", "tune.py": "sweep"}[r["script"]]
            r["name"] = f"{stem}-{r['dataset']}-{rng.choice(WORDS)}-{rng.randint(1, 40)}"
        # Names that look like they match "adult" and do not, and an adult run without it.
        others = [r for r in samples if r["dataset"] not in ("adult",)]
        for r in others[:3]:
            r["name"] = f"sample-adult-{rng.choice(['rerun', 'baseline', 'compare'])}-{r['dataset']}"
        adult = [r for r in samples if r["dataset"] == "adult"]
        if adult:
            adult[0]["name"] = f"sample-income-{rng.choice(WORDS)}-{rng.randint(1, 9)}"

    # ---- common pieces
    def git(self, r):
        rng = self.rng
        dirty = rng.random() < 0.28
        r["git"] = {"commit": "%040x" % rng.getrandbits(160),
                    "branch": rng.choice(["main", "main", "main", "feat/ema", "exp/cfg-guidance", "fix/nan-guard"]),
                    "dirty": dirty, "patch": "changes.patch" if dirty else None}
        r["patch_text"] = None
        if dirty and rng.random() > 0.2:  # declared but missing one time in five
            lines = ["diff --git a/configs/%s.yaml b/configs/%s.yaml" % (r["dataset"], r["dataset"]),
                     "index %07x..%07x 100644" % (rng.getrandbits(28), rng.getrandbits(28)),
                     "--- a/configs/%s.yaml" % r["dataset"], "+++ b/configs/%s.yaml" % r["dataset"]]
            for h in range(rng.randint(1, 6)):
                lines.append("@@ -%d,7 +%d,7 @@" % (10 * h + 3, 10 * h + 3))
                for _ in range(3):
                    lines.append(" " + rng.choice(COLUMNS) + ": " + rng.choice(["categorical", "numerical"]))
                lines.append("-  dropout: %.2f" % rng.choice([0.0, 0.1, 0.2]))
                lines.append("+  dropout: %.2f" % rng.choice([0.05, 0.15, 0.3]))
                for _ in range(3):
                    lines.append(" " + rng.choice(COLUMNS) + ": " + rng.choice(["categorical", "numerical"]))
            r["patch_text"] = "\n".join(lines) + "\n"

    def deps(self):
        rng = self.rng
        return {"python": rng.choice(["3.10.13", "3.11.7"]),
                "torch": rng.choice(["2.1.2", "2.2.1", "2.3.0"]),
                "numpy": rng.choice(["1.26.4", "1.24.4"]),
                "pandas": rng.choice(["2.1.4", "2.2.1"]),
                "scikit-learn": rng.choice(["1.3.2", "1.4.1"])}

    def warnings(self, k):
        rng = self.rng
        pool = [
            "/opt/venv/lib/python3.10/site-packages/torch/utils/data/dataloader.py:558: UserWarning: This DataLoader will create 8 worker processes in total.",
            "/opt/venv/lib/python3.10/site-packages/sklearn/preprocessing/_encoders.py:975: FutureWarning: `sparse` was renamed to `sparse_output`.",
            "  warnings.warn(",
            "/opt/venv/lib/python3.10/site-packages/torch/optim/lr_scheduler.py:139: UserWarning: Detected call of `lr_scheduler.step()` before `optimizer.step()`.",
            "wandb: WARNING Step must only increase in log calls.",
            "/srv/tabdiff/data.py:88: RuntimeWarning: invalid value encountered in divide",
        ]
        return [rng.choice(pool) for _ in range(k)]

    def traceback(self, r, last_error, frames=4):
        rng = self.rng
        lines = ["Traceback (most recent call last):",
                 f'  File "/srv/tabdiff/{r["script"]}", line {rng.randint(300, 500)}, in <module>',
                 "    main(cfg)"]
        funcs = [("trainer.py", "fit", "self.step(batch)"), ("trainer.py", "step", "out = self.model(x, t)"),
                 ("model.py", "forward", "h = self.blocks(h, emb)"), ("data.py", "__next__", "batch = next(self._it)"),
                 ("sampler.py", "sample", "x = self.denoise(x, t)")]
        for _ in range(frames):
            f, fn, code = rng.choice(funcs)
            lines.append(f'  File "/srv/tabdiff/{f}", line {rng.randint(20, 400)}, in {fn}')
            lines.append("    " + code)
        lines.append(last_error)
        return lines

    def stderr_for(self, r, stopped_at):
        """stderr lines and the step text of a run that did not complete."""
        rng = self.rng
        how = r["how"]
        lines = self.warnings(rng.randint(0, 6))
        if how == "oom":
            lines += self.traceback(r, "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 23.69 GiB total capacity; 21.40 GiB already allocated)")
        elif how == "nan_error":
            lines += self.traceback(r, f"FloatingPointError: loss is NaN at step {stopped_at}; aborting (nan_guard=true)")
        elif how == "file_missing":
            lines += self.traceback(r, "FileNotFoundError: [Errno 2] No such file or directory: '/data/synth/%s/samples.csv'" % r["dataset"], 2)
        elif how == "value_error":
            lines += self.traceback(r, "ValueError: column 'age' contains 17 non-numeric values", 2)
        elif how in ("ki1", "ki2", "ki_then_error"):
            lines.append("^C")
            lines += self.traceback(r, "KeyboardInterrupt", rng.randint(2, 4))
            if how in ("ki2", "ki_then_error"):
                lines += ["", "During handling of the above exception, another exception occurred:", ""]
                lines += ["Traceback (most recent call last):",
                          '  File "/srv/tabdiff/trainer.py", line 212, in save_checkpoint',
                          "    torch.save(state, path)",
                          '  File "/opt/venv/lib/python3.10/site-packages/torch/serialization.py", line 619, in save',
                          "    _save(obj, opened_zipfile, pickle_module, pickle_protocol)"]
                if how == "ki2":
                    lines.append("KeyboardInterrupt")
                    lines += self.warnings(rng.randint(1, 3))
                else:
                    lines.append("RuntimeError: DataLoader worker (pid 4242) exited unexpectedly with exit code 1")
        elif how == "sigterm":
            lines.append("Terminated")
        return lines

    # ---- per script
    def make_train(self, r):
        rng = self.rng
        ds = r["dataset"]
        lr = rng.choice(LRS)
        bs = rng.choice(BATCHES)
        hidden = rng.choice([256, 512, 768, 1024])
        r["params"] = {
            "model": {"name": "tabdiff", "hidden_dim": hidden, "num_layers": rng.choice([4, 6, 8]),
                      "dropout": rng.choice([0.0, 0.1, 0.2])},
            "optimizer": {"name": rng.choice(["adamw", "adam"]), "lr": lr,
                          "weight_decay": rng.choice([0.0, 0.01, 0.05]), "betas": [0.9, 0.999]},
            "scheduler": {"name": "cosine", "warmup_steps": rng.choice([50, 100, 200])},
            "data": {"dataset": ds, "batch_size": bs, "num_workers": rng.choice([4, 8])},
            "train": {"steps": 900, "seed": rng.randint(0, 9999), "ema": rng.random() < 0.5,
                      "grad_clip": rng.choice([0.5, 1.0, 5.0])},
        }
        completed = r["status"] == "completed"
        steps = rng.randint(860, 940) if completed else rng.randint(120, 780)
        # val_loss behaviour: the planted traps of real trackers.
        u = rng.random()
        val_mode = ("nan_spike" if u < 0.10 else "diverge" if u < 0.16 else "neg_inf" if u < 0.20
                    else "all_nan" if u < 0.23 else "none" if u < 0.25 else "plain")
        floor = rng.uniform(0.18, 0.75)
        if not completed and r["how"] in ("oom", "ki1"):
            floor = rng.uniform(-0.6, -0.4)  # looks best of all, but the run did not complete
        r["val_lines"] = {}
        records, out = [], []
        a, tau = rng.uniform(1.5, 3.0), rng.uniform(120, 320)
        val_steps = [s for s in range(25, steps + 1, 25)]
        spike = set(rng.sample(val_steps, min(2, len(val_steps)))) if val_mode == "nan_spike" else set()
        neg_inf_at = rng.choice(val_steps) if val_mode == "neg_inf" and val_steps else None
        diverge_from = val_steps[-3] if val_mode == "diverge" and len(val_steps) > 4 else None
        warm = r["params"]["scheduler"]["warmup_steps"]
        hdr = [f"[{iso(r['created'])}] {r['script']} run {r['id']} starting",
               f"config: dataset={ds} batch_size={bs} lr={lr} hidden_dim={hidden} steps=900",
               f"loading dataset {ds} from /data/tabular/{ds}.parquet",
               f"dataset {ds}: {rng.randint(5, 60) * 1000} rows, {rng.randint(8, 40)} columns",
               f"model tabdiff: {hidden * hidden * 43 + 1234} trainable parameters",
               "device: cuda:0 (NVIDIA A10G)"]
        out += hdr
        for s in range(1, steps + 1):
            tl = round(a * math.exp(-s / tau) + floor + rng.gauss(0, 0.02), 5)
            cur = lr * min(1.0, s / warm) * 0.5 * (1 + math.cos(math.pi * s / 900))
            cur = float("%.6g" % cur)
            gn = round(abs(rng.gauss(1.0, 0.3)) + 3.0 * math.exp(-s / 100), 3)
            rec = {"step": s, "train_loss": tl, "lr": cur, "grad_norm": gn}
            out.append(f"step {s:4d}/900 | train_loss {tl:.4f} | lr {cur:.2e} | grad_norm {gn:.3f} | "
                       f"{rng.uniform(4, 9):.1f} it/s | mem {rng.uniform(9, 14):.1f}GiB | eta {max(0, 900 - s) // 6}s")
            if s % 25 == 0 and val_mode != "none":
                v = round(a * 0.9 * math.exp(-s / tau) + floor + 0.05 + rng.gauss(0, 0.015), 5)
                if val_mode == "all_nan" or s in spike:
                    v = float("nan")
                elif s == neg_inf_at:
                    v = float("-inf")
                elif diverge_from is not None and s >= diverge_from:
                    v = float("inf") if s > diverge_from else float("nan")
                rec["val_loss"] = v
                r["val_lines"][s] = len(out)
                out.append("")  # rendered by finish() from the final value
            if s % 300 == 0:
                out.append(f"saving checkpoint to /ckpt/tabdiff/{ds}/{r['id']}/step_{s:06d}.pt")
            records.append(rec)
        if completed:
            out.append(f"saving checkpoint to /ckpt/tabdiff/{ds}/{r['id']}/model_last.pt")
            out.append(f"training finished: {steps} steps")
            err = self.warnings(rng.randint(0, 5))
            if rng.random() < 0.04:  # a worker interrupted at shutdown: the run still completed
                err += ["Exception ignored in: <function _MultiProcessingDataLoaderIter.__del__>",
                        "KeyboardInterrupt"]
        else:
            err = self.stderr_for(r, steps)
        r["metrics_records"] = records
        r["stdout"] = out
        r["stderr"] = err
        r["duration"] = round(steps / rng.uniform(5, 8), 1)

    def make_train_ddp(self, r):
        self.make_train(r)
        r["params"]["ddp"] = {"world_size": self.rng.choice([2, 4, 8]), "backend": "nccl"}

    def make_eval(self, r):
        rng = self.rng
        ds = r["dataset"]
        method = rng.choice(DETECTORS)
        r["method"] = method
        rounds = rng.randint(3, 8)
        steps = [500 * (k + 1) for k in range(rounds)]
        keys = ["fidelity"] if rng.random() > 0.03 else []
        keys += [k for k, p in (("utility", 0.95), ("detection", 0.85), ("privacy", 0.7)) if rng.random() < p]
        r["params"] = {"data": {"dataset": ds},
                       "eval": {"detector": "auto", "num_samples": rng.choice([5000, 10000, 20000]),
                                "seed": rng.randint(0, 9999), "folds": 5},
                       "source": {"run": "%08x" % rng.getrandbits(32), "checkpoint": "model_last.pt"}}
        base = {"fidelity": rng.uniform(0.55, 0.85), "utility": rng.uniform(0.5, 0.8),
                "detection": rng.uniform(0.35, 0.8), "privacy": rng.uniform(0.05, 0.4)}
        vals = {}
        for k in keys:
            series = [round(min(0.995, max(0.0, base[k] + 0.01 * j + rng.gauss(0, 0.025))), 4) for j in range(rounds)]
            vals[k] = series
        if "fidelity" in vals and rng.random() < 0.09:
            vals["fidelity"][-1] = float("nan")  # the latest finite value is an earlier step
        r["eval_vals"] = vals
        r["eval_steps"] = steps
        out = [f"[{iso(r['created'])}] eval.py run {r['id']} starting",
               f"config: dataset={ds} detector=auto num_samples={r['params']['eval']['num_samples']}",
               f"available detection methods: {', '.join(DETECTORS)}",
               f"detector=auto: using detection method: {method}"]
        r["eval_lines"] = []
        for j, s in enumerate(steps):
            for c in COLUMNS:
                out.append(f"  column {c:<16} ks={rng.uniform(0, 0.2):.4f} tv={rng.uniform(0, 0.2):.4f} "
                           f"corr_err={rng.uniform(0, 0.1):.4f}")
            r["eval_lines"].append(len(out))
            out.append("")  # rendered by finish() from the final values
        r["best_line"] = len(out)
        out.append("")
        r["stdout"] = out
        if r["status"] == "completed":
            r["stderr"] = self.warnings(rng.choice([0, 0, 1, 2, 4]))
        else:
            r["stderr"] = self.stderr_for(r, steps[-1])
        r["duration"] = round(rounds * rng.uniform(40, 90), 1)

    def build_eval_records(self, r):
        recs = []
        for k, series in r["eval_vals"].items():
            for s, v in zip(r["eval_steps"], series):
                recs.append({"step": s, "key": k, "value": v})
        if self.rng.random() < 0.12:
            self.rng.shuffle(recs)  # a resumed evaluation appends out of step order
        return recs

    def make_sample_tabdiff(self, r):
        rng = self.rng
        ds = r["dataset"]
        src = "%08x" % rng.getrandbits(32)
        nparams = rng.choice([256, 512, 768, 1024]) ** 2 * 43 + rng.randint(1000, 9999)
        want = rng.choice(["model_best.pt", "model_last.pt", "model_ema.pt"])
        r["params"] = {"data": {"dataset": ds},
                       "model": {"name": "tabdiff", "checkpoint": want, "source_run": src},
                       "sample": {"num_rows": rng.choice([5000, 10000, 50000]), "seed": rng.randint(0, 9999),
                                  "guidance_scale": rng.choice([1.0, 1.5, 2.0])}}
        ckdir = f"/ckpt/tabdiff/{ds}/{src}"
        out = [f"[{iso(r['created'])}] sample_tabdiff.py run {r['id']} starting",
               f"config: dataset={ds} num_rows={r['params']['sample']['num_rows']} checkpoint={want}",
               f"resolving checkpoint {want} of run {src}"]
        loaded = f"{ckdir}/{want}"
        if rng.random() < 0.4:  # the requested file is missing: the sampler falls back
            fallback = "model_last.pt" if want != "model_last.pt" else "step_000600.pt"
            out.append(f"WARNING: checkpoint {ckdir}/{want} not found, falling back to {ckdir}/{fallback}")
            loaded = f"{ckdir}/{fallback}"
        out.append(f"Loaded checkpoint {loaded} (step {rng.choice([600, 900, 1200])})")
        out.append(f"Model tabdiff: {nparams:,} trainable parameters")
        n = r["params"]["sample"]["num_rows"]
        batches = max(10, n // 1000)
        for b in range(1, batches + 1):
            out.append(f"sampling batch {b}/{batches}: {n // batches} rows, {rng.uniform(0.2, 0.6):.2f} s, "
                       f"nfe=50 guidance={r['params']['sample']['guidance_scale']}")
        r["checkpoint"], r["nparams"] = loaded, nparams
        if r["status"] == "completed":
            out.append(f"wrote {n} rows to /data/synth/{ds}/{r['id']}.csv")
            r["stderr"] = self.warnings(rng.randint(0, 2))
        else:
            r["stderr"] = self.stderr_for(r, 0)
        r["stdout"] = out
        r["metrics_records"] = [{"step": 0, "rows": n, "sample_seconds": round(rng.uniform(5, 60), 2)}]
        r["duration"] = round(rng.uniform(20, 120), 1)

    def make_preprocess(self, r):
        rng = self.rng
        ds = r["dataset"]
        r["params"] = {"data": {"dataset": ds, "split": [0.8, 0.1, 0.1], "seed": rng.randint(0, 9999)},
                       "encode": {"categorical": "onehot", "numerical": rng.choice(["quantile", "standard"])}}
        r["stdout"] = [f"[{iso(r['created'])}] preprocess.py run {r['id']} starting",
                       f"reading /data/raw/{ds}.csv"] + [f"  column {c}: ok" for c in COLUMNS] + ["done"]
        r["stderr"] = self.warnings(rng.randint(0, 2)) if r["status"] == "completed" else self.stderr_for(r, 0)
        r["metrics_records"] = None  # this script logs no metrics: no metrics.json
        r["duration"] = round(rng.uniform(5, 30), 1)

    def make_tune(self, r):
        rng = self.rng
        ds = r["dataset"]
        trials = rng.randint(8, 30)
        r["params"] = {"data": {"dataset": ds}, "search": {"trials": trials, "space": "lr,dropout,hidden_dim",
                                                           "sampler": "tpe"}}
        recs, out = [], [f"[{iso(r['created'])}] tune.py run {r['id']} starting"]
        for k in range(trials):
            sc = round(rng.uniform(0.3, 0.9), 4)
            recs.append({"step": k, "score": sc})
            out.append(f"trial {k}: lr={rng.choice(LRS)} dropout={rng.choice([0.0, 0.1, 0.2])} score={sc:.4f}")
        r["metrics_records"] = recs
        r["stdout"] = out
        r["stderr"] = self.warnings(rng.randint(0, 2)) if r["status"] == "completed" else self.stderr_for(r, 0)
        r["duration"] = round(trials * rng.uniform(30, 60), 1)

    # ---- traps that need the whole corpus
    def plant_ties(self):
        rng = self.rng
        # T1: the 5th and 6th lowest finite minimum val_loss become equal; a few runs go negative.
        train = [r for r in self.runs if r["script"] == "train.py" and r["status"] == "completed"]
        neg = [r for r in train if any("val_loss" in x and finite(x["val_loss"]) for x in r["metrics_records"])]
        for r in rng.sample(neg, 2 if self.n >= 200 else 1):
            for x in r["metrics_records"]:
                if "val_loss" in x and finite(x["val_loss"]):
                    x["val_loss"] = round(x["val_loss"] - 0.9, 5)  # an ELBO-style loss below zero
        ranked = sorted((r for r in train if min_val(r) is not None), key=lambda r: (min_val(r), r["id"]))
        if len(ranked) >= 6:
            v5, sixth = min_val(ranked[4]), ranked[5]
            for x in sixth["metrics_records"]:
                if "val_loss" in x and x["val_loss"] == min_val(sixth):
                    x["val_loss"] = v5
                    break
        # T2: ranks 2 and 3 of latest fidelity tie; T4: a run whose best detection is
        # not its latest, and an incomplete run with the highest latest detection.
        ev = [r for r in self.runs if r["script"] == "eval.py"]
        done = [r for r in ev if r["status"] == "completed"]
        ranked = sorted((r for r in done if latest_eval(r, "fidelity") is not None),
                        key=lambda r: (-latest_eval(r, "fidelity"), r["id"]))
        if len(ranked) >= 3:
            set_latest_eval(ranked[2], "fidelity", latest_eval(ranked[1], "fidelity"))
        det = [r for r in done if "detection" in r["eval_vals"]]
        if det:
            top = max(det, key=lambda r: (latest_eval(r, "detection"), r["id"]))
            other = [r for r in det if r is not top]
            if other:
                rng.choice(other)["eval_vals"]["detection"][0] = 0.999
        for r in ev:
            if r["status"] != "completed" and "detection" in r["eval_vals"]:
                r["eval_vals"]["detection"][-1] = 0.998

    def finish(self, r):
        """Metadata, records and texts that depend on the final state."""
        rng = self.rng
        self.git(r)
        if r["script"] == "eval.py":
            r["metrics_records"] = self.build_eval_records(r)
            # the log prints the values after the planted traps
        started = r["created"] + datetime.timedelta(seconds=rng.randint(5, 120))
        r["meta"] = {
            "id": r["id"], "name": r["name"], "status": r["status"], "project": PROJECTS[r["script"]],
            "script": r["script"], "created_at": iso(r["created"]), "started_at": iso(started),
            "completed_at": iso(started + datetime.timedelta(seconds=r["duration"])) if r["status"] == "completed" else None,
            "duration_s": r["duration"],
            "tags": [PROJECTS[r["script"]], r["dataset"]] + (["sweep-%d" % rng.randint(1, 5)] if rng.random() < 0.3 else []),
            "git": r["git"], "dependencies": self.deps(),
        }
        out = r["stdout"]
        for rec in r["metrics_records"] or []:  # log lines show the final values
            if "val_loss" in rec and rec["step"] in r.get("val_lines", {}):
                v = rec["val_loss"]
                out[r["val_lines"][rec["step"]]] = f"[val] step {rec['step']} | val_loss " + (f"{v:.4f}" if finite(v) else str(v))
        if r["script"] == "eval.py":
            for k, s in enumerate(r["eval_steps"]):
                parts = [f"[eval] step {s}"]
                for key, series in r["eval_vals"].items():
                    v = series[k]
                    parts.append(f"{key} {v:.4f}" if finite(v) else f"{key} {v}")
                out[r["eval_lines"][k]] = " | ".join(parts)
            fin = [v for v in r["eval_vals"].get("fidelity", []) if finite(v)]
            out[r["best_line"]] = f"best fidelity so far {max(fin):.4f}" if fin else "no fidelity computed"
        r["stdout_text"] = "\n".join(r["stdout"]) + "\n"
        r["stderr_text"] = "\n".join(r["stderr"]) + "\n" if r["stderr"] else ""

    # ---- output
    def write(self, out_dir):
        root = os.path.join(out_dir, "runs")
        if os.path.exists(root):
            shutil.rmtree(root)
        os.makedirs(root)
        total = 0
        for r in self.runs:
            d = os.path.join(root, r["id"])
            os.makedirs(os.path.join(d, "artifacts"))
            files = {"metadata.json": json.dumps(r["meta"], indent=2) + "\n",
                     "params.yaml": to_yaml(r["params"]) + "\n",
                     "artifacts/stdout.txt": r["stdout_text"],
                     "artifacts/stderr.txt": r["stderr_text"]}
            if r["metrics_records"] is not None:
                files["metrics.json"] = json.dumps(r["metrics_records"]) + "\n"
            if r["patch_text"] is not None:
                files["artifacts/changes.patch"] = r["patch_text"]
            for name, text in files.items():
                data = text.encode()
                total += len(data)
                with open(os.path.join(d, name), "wb") as f:
                    f.write(data)
        return total


def min_val(r):
    vals = [x["val_loss"] for x in r["metrics_records"] or [] if "val_loss" in x and finite(x["val_loss"])]
    return min(vals) if vals else None


def latest_eval(r, key):
    series = r["eval_vals"].get(key)
    if not series:
        return None
    best = None
    for s, v in zip(r["eval_steps"], series):
        if finite(v) and (best is None or s > best[0]):
            best = (s, v)
    return best[1] if best else None


def set_latest_eval(r, key, value):
    series = r["eval_vals"][key]
    for k in range(len(series) - 1, -1, -1):
        if finite(series[k]):
            series[k] = value
            return


# ---------------------------------------------------------------- gold answers
def gold(c, tasks):
    runs = sorted(c.runs, key=lambda r: r["id"])
    size = lambda text: len(text.encode())
    out = {}
    t = tasks["T1"]["params"]
    rows = [r for r in runs if r["script"] == t["script"] and r["status"] == "completed" and min_val(r) is not None]
    rows.sort(key=lambda r: (min_val(r), r["id"]))
    out["T1"] = {"runs": [{"id": r["id"], "lr": r["params"]["optimizer"]["lr"],
                           "batch_size": r["params"]["data"]["batch_size"], "min_val_loss": min_val(r),
                           "stdout_bytes": size(r["stdout_text"]), "dirty": r["git"]["dirty"]}
                          for r in rows[:t["limit"]]]}
    t = tasks["T2"]["params"]
    rows = [r for r in runs if r["script"] == t["script"] and r["status"] == "completed"
            and latest_eval(r, "fidelity") is not None]
    rows.sort(key=lambda r: (-latest_eval(r, "fidelity"), r["id"]))
    out["T2"] = {"runs": [{"id": r["id"], "fidelity": latest_eval(r, "fidelity"),
                           "utility": latest_eval(r, "utility"), "detection": latest_eval(r, "detection"),
                           "privacy": latest_eval(r, "privacy"), "stderr_bytes": size(r["stderr_text"])}
                          for r in rows[:t["limit"]]]}
    t = tasks["T3"]["params"]
    out["T3"] = {"runs": [{"id": r["id"], "checkpoint": r["checkpoint"], "parameters": r["nparams"]}
                          for r in runs if r["script"] == t["script"] and r["dataset"] == t["dataset"]]}
    t = tasks["T4"]["params"]
    rows = [r for r in runs if r["script"] == t["script"] and r["status"] == "completed"
            and latest_eval(r, "detection") is not None]
    rows.sort(key=lambda r: (-latest_eval(r, "detection"), r["id"]))
    out["T4"] = {"id": rows[0]["id"], "detection": latest_eval(rows[0], "detection"), "method": rows[0]["method"]}
    rows = []
    for r in runs:
        if r["status"] == "completed":
            continue
        lines = r["stderr_text"].split("\n")
        hits = [i + 1 for i, line in enumerate(lines) if "KeyboardInterrupt" in line]
        rows.append({"id": r["id"], "status": r["status"], "stderr_bytes": size(r["stderr_text"]),
                     "keyboard_interrupt": bool(hits), "last_line": hits[-1] if hits else None})
    out["T5"] = {"runs": rows}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=875)
    ap.add_argument("--seed", type=int, default=6)
    a = ap.parse_args()
    with open(os.path.join(HERE, "tasks.json")) as f:
        tasks = {t["id"]: t for t in json.load(f)["tasks"]}
    c = Corpus(a.runs, a.seed)
    c.build()
    os.makedirs(a.out, exist_ok=True)
    total = c.write(a.out)
    g = gold(c, tasks)
    with open(os.path.join(a.out, "gold.json"), "w") as f:
        json.dump(g, f, indent=1)
    metric_rows = 0
    for r in c.runs:
        for x in r["metrics_records"] or []:
            metric_rows += 1 if "key" in x else len(x) - 1
    summary = {"runs": a.runs, "seed": a.seed, "bytes": total, "metric_values": metric_rows,
               "scripts": {s: sum(1 for r in c.runs if r["script"] == s) for s, _, _ in SCRIPT_MIX},
               "not_completed": sum(1 for r in c.runs if r["status"] != "completed")}
    with open(os.path.join(a.out, "corpus.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
