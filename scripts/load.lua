-- wrk script for scripts/load.sh: each request is the next page of the list below, as the next
-- user (their session cookies are the script's arguments), so every role's pages are loaded.
local pages = {
  "/", "/customers", "/customers?kind=transaction", "/contacts", "/opportunities",
  "/opportunities?tab=all", "/tasks", "/tasks?tab=todo", "/tasks?tab=done",
  "/tasks?tab=messages", "/rankings", "/announcements", "/customers?name=%E7%9F%B3",
  "/opportunities?tab=all&name=%E5%95%86",
}
local cookies = {}
local n = 0

function init(args)
  for i, cookie in ipairs(args) do cookies[i] = cookie end
end

function request()
  n = n + 1
  local page = pages[(n % #pages) + 1]
  local cookie = cookies[(math.floor(n / #pages) % #cookies) + 1]
  return wrk.format("GET", page, { ["Cookie"] = cookie })
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, errors: connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("p%s %.1f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("slowest %.1f ms\n", latency.max / 1000))
end
