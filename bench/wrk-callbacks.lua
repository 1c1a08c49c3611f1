-- wrk script: each thread cycles through its own share of pre-sealed callbacks (path<TAB>body per line).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file, nthreads = args[1], tonumber(args[2])
  reqs = {}
  local n = 0
  for line in io.lines(file) do
    if n % nthreads == id then
      local path, body = line:match("([^\t]+)\t(.*)")
      reqs[#reqs + 1] = wrk.format("POST", path, { ["Content-Type"] = "text/xml" }, body)
    end
    n = n + 1
  end
  i = 0
end

function request()
  i = i % #reqs + 1
  return reqs[i]
end
