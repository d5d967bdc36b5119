import sys, glob
from pathlib import Path
from papertrail.importers.markdown import parse_markdown
from papertrail.importers.markdown.links import url_kind
files = sorted(set(glob.glob('/work/corpus/*.md') + glob.glob('/work/corpus-heldout*/*.md') + glob.glob('/work/shared/reading-lists/markdown/*.md') + glob.glob('/work/shared/seeds/*.md')))
n = 0
for f in files:
    out = parse_markdown(Path(f).read_text(), source=Path(f).name)
    for r in out.records:
        if not r.arxiv_id and not r.title and not r.doi and r.url:
            n += 1
            print(url_kind(r.url), r.url, r.sources[0])
print(n, "untitled url-only records in", len(files), "files")
