"""Stage 3–4: the catalog and the pages it makes (templates), and hand-written pages' blocks."""
