"""Forms of the course bank: ``authoring`` (courses, content, runs, review) and ``learning``."""
