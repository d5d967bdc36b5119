-- A library as papertrail's first schema revision (0001) wrote it: statuses, dates,
-- notes, topics and a topic tree (tests/support/first_revision.py loads it).
INSERT INTO paper (id, arxiv_id, version, title, authors, status, note, added_at,
                   started_at, read_at, fetched_at, year, categories)
VALUES
  (1, '1510.00149', 5, 'Deep Compression', 'Song Han
Huizi Mao', 'read', '剪枝 + 量化', '2026-01-01T10:00:00Z',
   '2026-01-02T10:00:00Z', '2026-01-03T10:00:00Z', '2026-01-01T10:00:01Z', 2015,
   'cs.CV cs.NE'),
  (2, NULL, NULL, 'Why GEMM is at the heart of deep learning', NULL, 'reading', NULL,
   '2026-01-04T10:00:00Z', '2026-01-05T10:00:00Z', NULL, NULL, 2015, NULL),
  (3, '1602.02830', NULL, NULL, NULL, 'unread', NULL, '2026-01-06T10:00:00Z',
   NULL, NULL, NULL, NULL, NULL);
INSERT INTO topic (id, slug, parent_id) VALUES (1, 'quantization', NULL),
  (2, 'binary-quantization', 1), (3, 'pruning', NULL);
INSERT INTO paper_topic VALUES (1, 1), (1, 3), (3, 2), (2, 3);
