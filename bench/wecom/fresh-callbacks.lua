-- wrk script for bench/wecom-callback.ts: POSTs prepared, signed callbacks, each once, so every
-- request carries a fresh MsgId. BENCH_REQUESTS_FILE holds one "path<TAB>body" a line; lines
-- BENCH_FROM..BENCH_TO (1-based) are shared out among the BENCH_THREADS threads. done() prints
-- one line "BENCH_RESULT {json}" with the figures and wrk's own CPU time over the run.
local threads = {}
local count = 0

function setup(thread)
  thread:set("tid", count)
  count = count + 1
  table.insert(threads, thread)
end

-- utime + stime of the whole wrk process, in clock ticks (/proc/self/stat fields 14 and 15).
local function cpu_ticks()
  local f = io.open("/proc/self/stat")
  local stat = f:read("*a")
  f:close()
  local fields = {}
  for v in stat:match("%) (.*)"):gmatch("%S+") do fields[#fields + 1] = v end
  return tonumber(fields[12]) + tonumber(fields[13])
end

function init(args)
  local from, to = tonumber(os.getenv("BENCH_FROM")), tonumber(os.getenv("BENCH_TO"))
  local nthreads = tonumber(os.getenv("BENCH_THREADS"))
  reqs = {}
  local i = 0
  for line in io.lines(os.getenv("BENCH_REQUESTS_FILE")) do
    i = i + 1
    if i > to then break end
    if i >= from and (i - from) % nthreads == tid then
      local tab = line:find("\t", 1, true)
      reqs[#reqs + 1] = wrk.format("POST", line:sub(1, tab - 1), { ["Content-Type"] = "text/xml" }, line:sub(tab + 1))
    end
  end
  prepared = #reqs
  sent = 0
  cpu0 = cpu_ticks()
end

function request()
  sent = sent + 1
  return reqs[(sent - 1) % prepared + 1]
end

function done(summary, latency, requests)
  local cpu1 = cpu_ticks()
  local cpu0, reused = math.huge, 0
  for _, t in ipairs(threads) do
    cpu0 = math.min(cpu0, t:get("cpu0"))
    reused = reused + math.max(0, t:get("sent") - t:get("prepared"))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"reused":%d,"loaderCpuTicks":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, reused, cpu1 - cpu0))
end
