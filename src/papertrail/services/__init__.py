"""Clients of outside services (arXiv API, Crossref, Semantic Scholar, DBLP).

All of them talk HTTP through one shape, `http.HttpClient` (spacing per service across
processes, retries with backoff and Retry-After, a hard deadline per attempt, capped
bodies, same-origin redirects only, one User-Agent, ServiceUnavailable errors).
Nothing here is imported by everyday commands: import the module you need inside the
command that talks to the service.
"""
