"""The who-owns-what graph (networkx), built from the store.

Nodes: ``agency:<id>``, ``task:<document>:<path>``, ``document:<id>`` (and
``document:ref:<number>`` for cited documents not stored). Edges (attribute
``kind``): agency -lead-> task, agency -support-> task, task -report_to-> agency,
task -part_of-> document, document -issued_by-> agency, document -cites-> document.

    from pipeline.graph import build, serialize
    g = build(db, agency="so tai chinh")     # that agency's tasks and what touches them
    open("g.graphml", "wb").write(serialize(g, "graphml"))
"""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Optional

import networkx as nx
import sqlite_utils

from .store import resolve_agency


def build(db: sqlite_utils.Database, agency: Optional[str] = None,
          number: Optional[str] = None) -> nx.MultiDiGraph:
    """The graph of the whole store, or of the tasks of one agency / one document."""
    from .feeds import _filters
    g = nx.MultiDiGraph()
    where, params = _filters(db, agency, number)
    task_ids = [r["task_id"] for r in db.query(
        f"select distinct a.task_id from assignments a join documents d on d.id = a.document_id where {where}",
        params)]
    if not agency:  # tasks without owners belong to the picture of a document or the store
        w, p = _filters(db, None, number)
        task_ids += [r["id"] for r in db.query(
            f"select t.id from tasks t join documents d on d.id = t.document_id where {w} "
            "and t.id not in (select task_id from assignments)", p)]
    _add_tasks(db, g, task_ids)
    doc_ids = {d["doc_id"] for _, d in g.nodes(data=True) if d.get("type") == "task"}
    if not agency and not number:
        doc_ids |= {r["id"] for r in db.query("select id from documents where same_as is null")}
    elif number:
        w, p = _filters(db, None, number)
        doc_ids |= {r["id"] for r in db.query(f"select d.id from documents d where {w}", p)}
    _add_documents(db, g, doc_ids)
    return g


def _agency_node(g: nx.MultiDiGraph, agency_id: str, name: str, kind=None, registered=None) -> str:
    node = f"agency:{agency_id}"
    if node not in g:
        g.add_node(node, type="agency", label=name, agency_id=agency_id, kind=kind,
                   registered=bool(registered) if registered is not None else None)
    return node


def _chunks(ids: list[str], size: int = 500):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _add_tasks(db: sqlite_utils.Database, g: nx.MultiDiGraph, task_ids: list[str]) -> None:
    for chunk in _chunks(sorted(set(task_ids))):
        marks = ", ".join("?" for _ in chunk)
        for t in db.query(f"""select t.id, t.path, t.text, t.page, t.document_id, d.number,
                 (select min(x.date) from deadlines x where x.task_id = t.id) as due,
                 (select group_concat(x.recurrence) from deadlines x where x.task_id = t.id) as recurrence
                 from tasks t join documents d on d.id = t.document_id where t.id in ({marks})""", chunk):
            node = f"task:{t['id']}"
            g.add_node(node, type="task", label=f"{t['number'] or '?'} {t['path']}", path=t["path"],
                       text=t["text"], page=t["page"], due=t["due"], recurrence=t["recurrence"],
                       doc_id=t["document_id"], number=t["number"])
            g.add_edge(node, f"document:{t['document_id']}", key="part_of", kind="part_of")
        for a in db.query(f"""select a.task_id, a.agency, a.agency_id, a.role, a.inherited, g.kind, g.registered, g.name
                 from assignments a left join agencies g on g.id = a.agency_id
                 where a.task_id in ({marks}) order by a.id""", chunk):
            node = _agency_node(g, a["agency_id"], a["name"] or a["agency"], a["kind"], a["registered"])
            g.add_edge(node, f"task:{a['task_id']}", key=a["role"], kind=a["role"],
                       inherited=bool(a["inherited"]), printed=a["agency"])
        for r in db.query(f"""select r.task_id, r.agency, r.agency_id, g.kind, g.registered, g.name
                 from report_to r left join agencies g on g.id = r.agency_id where r.task_id in ({marks})""", chunk):
            node = _agency_node(g, r["agency_id"], r["name"] or r["agency"], r["kind"], r["registered"])
            g.add_edge(f"task:{r['task_id']}", node, key="report_to", kind="report_to")


def _add_documents(db: sqlite_utils.Database, g: nx.MultiDiGraph, doc_ids: set[str]) -> None:
    for chunk in _chunks(sorted(doc_ids)):
        marks = ", ".join("?" for _ in chunk)
        for d in db.query(f"select * from documents where id in ({marks})", chunk):
            node = f"document:{d['id']}"
            g.add_node(node, type="document", label=d["number"] or Path(d["file"]).name, number=d["number"],
                       doc_type=d["type"], date=d["date"], title=d["title"], issuer=d["issuer"],
                       file=d["file"], stored=True)
            if d["issuer"]:
                ag = resolve_agency(d["issuer"])
                g.add_edge(node, _agency_node(g, ag["id"], ag["name"], ag["kind"], ag["registered"]),
                           key="issued_by", kind="issued_by")
        for r in db.query(f"""select document_id, number, number_key, type, date, cited_document_id
                 from "references" where document_id in ({marks}) and number_key is not null""", chunk):
            target = f"document:{r['cited_document_id']}" if r["cited_document_id"] else f"document:ref:{r['number_key']}"
            if target not in g:
                g.add_node(target, type="document", label=r["number"], number=r["number"],
                           doc_type=r["type"], date=r["date"], stored=bool(r["cited_document_id"]))
            if not g.has_edge(f"document:{r['document_id']}", target, key="cites"):
                g.add_edge(f"document:{r['document_id']}", target, key="cites", kind="cites")


def flat(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes GraphML and GEXF can hold: no None, lists and dicts as text."""
    def clean(attrs: dict) -> dict:
        out = {}
        for k, v in attrs.items():
            if v is None:
                continue
            if isinstance(v, (list, tuple, set)):
                v = "; ".join(map(str, v))
            elif isinstance(v, dict):
                v = json.dumps(v, ensure_ascii=False)
            out[k] = v
        return out
    h = nx.MultiDiGraph()
    h.add_nodes_from((n, clean(d)) for n, d in g.nodes(data=True))
    h.add_edges_from((u, v, k, clean(d)) for u, v, k, d in g.edges(keys=True, data=True))
    return h


def serialize(g: nx.MultiDiGraph, fmt: str) -> bytes:
    """GraphML, GEXF or node-link JSON bytes."""
    h = flat(g)
    if fmt == "json":
        data = nx.node_link_data(h, edges="links")
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(h, buf, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(h, buf, encoding="utf-8")
    else:
        raise ValueError(f"unknown graph format {fmt!r}")
    return buf.getvalue()


def neighbourhood(db: sqlite_utils.Database, agency: str) -> tuple[nx.MultiDiGraph, list[str]]:
    """An agency's tasks, their documents and the other agencies on them (LookupError when unknown)."""
    from .query import find_agencies
    found = find_agencies(db, agency)
    if not found:
        raise LookupError(f"no agency matches {agency!r}")
    g = build(db, agency=agency)
    centres = [f"agency:{a['id']}" for a in found if f"agency:{a['id']}" in g]
    if not centres:
        raise LookupError(f"{found[0]['name']} owns no stored task")
    return g, centres


def draw(db: sqlite_utils.Database, agency: str, out: str | Path, limit: int = 60) -> int:
    """Draw an agency's neighbourhood to PNG (matplotlib) or HTML (an SVG drawing and a task table)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    g, centres = neighbourhood(db, agency)
    tasks = [v for c in centres for _, v, k in g.out_edges(c, keys=True) if k in ("lead", "support")][:limit]
    keep = set(centres) | set(tasks)
    for t in tasks:
        keep |= {v for _, v in g.out_edges(t)} | {u for u, _ in g.in_edges(t)}
    h = nx.DiGraph(g.subgraph(keep))
    colours = {"agency": "#f4a261", "task": "#8ecae6", "document": "#b7e4c7"}
    fig, ax = plt.subplots(figsize=(14, 10))
    others = [n for n in h if n not in centres and n not in tasks]
    pos = nx.shell_layout(h, nlist=[centres, tasks, others] if others else [centres, tasks])
    nx.draw_networkx_edges(h, pos, ax=ax, alpha=0.35, arrows=True, arrowsize=8)
    nx.draw_networkx_nodes(h, pos, ax=ax, node_size=[900 if n in centres else 300 for n in h],
                           node_color=[colours.get(h.nodes[n].get("type"), "#ccc") for n in h])
    nx.draw_networkx_labels(h, pos, ax=ax, font_size=7,
                            labels={n: _label(h.nodes[n].get("label", n)) for n in h})
    from matplotlib.patches import Patch
    ax.legend(handles=[Patch(color=c, label=t) for t, c in
                       (("cơ quan", colours["agency"]), ("nhiệm vụ", colours["task"]), ("văn bản", colours["document"]))],
              loc="lower right", fontsize=8)
    ax.set_title(f"{g.nodes[centres[0]]['label']}: {len(tasks)} tasks")
    ax.axis("off")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() in (".html", ".htm"):
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight")
        out.write_text(_html(g, centres, tasks, buf.getvalue()), encoding="utf-8")
    else:
        fig.savefig(out, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return h.number_of_nodes()


def _label(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _html(g: nx.MultiDiGraph, centres: list[str], tasks: list[str], svg: str) -> str:
    from html import escape
    rows = []
    for t in tasks:
        d = g.nodes[t]
        roles = {k for c in centres for _, v, k in g.out_edges(c, keys=True) if v == t}
        rows.append(f"<tr><td>{escape(d.get('number') or '')}</td><td>{escape(d.get('path') or '')}</td>"
                    f"<td>{escape(', '.join(sorted(roles)))}</td><td>{escape(d.get('due') or d.get('recurrence') or '')}</td>"
                    f"<td>{escape(d.get('text') or '')}</td></tr>")
    title = escape(g.nodes[centres[0]]["label"])
    return (f"<!doctype html><html lang='vi'><meta charset='utf-8'><title>{title}</title>"
            f"<style>body{{font-family:sans-serif}}td{{vertical-align:top;padding:2px 6px}}</style>"
            f"<h1>{title}</h1>{svg}<table><tr><th>Văn bản</th><th>Mục</th><th>Vai trò</th><th>Hạn</th>"
            f"<th>Nhiệm vụ</th></tr>{''.join(rows)}</table></html>\n")
