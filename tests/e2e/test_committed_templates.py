"""e2e.committed_templates: the e2e tests deploy orchc's --definition-string output (moto
reads only DefinitionString).  This proves that output is the same resources as orchc's
default output (Definition + DefinitionSubstitutions), with the definition text equal once
the substitutions are applied, and that the committed templates/ equal a fresh compile."""

import glob
import json
import os
import tempfile
import unittest

import harness as h

SPECS = sorted(glob.glob(os.path.join(h.REPO, "specs", "*.yaml")))


def fill(node, subs):
    """Render Definition + DefinitionSubstitutions as the list of Fn::Join parts
    orchc embeds: literal text with each ${Name} replaced by its intrinsic."""
    text = json.dumps(node, separators=(",", ":"))
    parts, rest = [], text
    while "${" in rest:
        before, _, after = rest.partition("${")
        name, _, rest = after.partition("}")
        parts += [before, subs[name]]
    parts.append(rest)
    return parts


def merge_literals(parts):
    out = []
    for p in parts:
        if isinstance(p, str) and out and isinstance(out[-1], str):
            out[-1] += p
        elif p != "":
            out.append(p)
    return out


class CommittedTemplates(unittest.TestCase):
    def test_definition_string_output_is_the_same_resources(self):
        self.assertTrue(SPECS)
        with tempfile.TemporaryDirectory() as tmp:
            h.compile_specs(SPECS, os.path.join(tmp, "default"), definition_string=False)
            h.compile_specs(SPECS, os.path.join(tmp, "string"))
            names = sorted(os.listdir(os.path.join(tmp, "default")))
            self.assertEqual(names, sorted(os.listdir(os.path.join(tmp, "string"))))
            for name in (n for n in names if n.endswith(".template.json")):
                with open(os.path.join(tmp, "default", name), encoding="utf-8") as f:
                    default = json.load(f)
                with open(os.path.join(tmp, "string", name), encoding="utf-8") as f:
                    embedded = json.load(f)
                for res in default["Resources"].values():
                    if res["Type"] == "AWS::StepFunctions::StateMachine":
                        props = res["Properties"]
                        parts = fill(props.pop("Definition"),
                                     props.pop("DefinitionSubstitutions", {}))
                        props["DefinitionString"] = {"Fn::Join": ["", merge_literals(parts)]}
                for res in embedded["Resources"].values():
                    if res["Type"] == "AWS::StepFunctions::StateMachine":
                        join = res["Properties"]["DefinitionString"]["Fn::Join"]
                        join[1] = merge_literals(join[1])
                self.assertEqual(default, embedded, name)

    def test_committed_templates_match_a_fresh_compile(self):
        committed = sorted(os.listdir(os.path.join(h.REPO, "templates")))
        if not any(n.endswith(".json") for n in committed):
            # Nothing committed yet: say so in the log; the comparison above still ran.
            print("templates/ holds no compiled templates yet; nothing to compare")
            return
        with tempfile.TemporaryDirectory() as tmp:
            h.compile_specs(SPECS, tmp, definition_string=False)
            for name in sorted(os.listdir(tmp)):
                with open(os.path.join(tmp, name), encoding="utf-8") as f:
                    fresh = f.read()
                with open(os.path.join(h.REPO, "templates", name), encoding="utf-8") as f:
                    self.assertEqual(f.read(), fresh, f"templates/{name} is stale")


if __name__ == "__main__":
    h.run(CommittedTemplates)
