-- wrk script for scripts/search-load.sh: each request searches the next
-- query of the file named after "--" (one a line; blank lines and lines
-- starting with "#" are skipped), page 1, round and round.
local queries = {}
local next = 0

local function escape(s)
  return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" and line:sub(1, 1) ~= "#" then
      queries[#queries + 1] = "/search?q=" .. escape(line)
    end
  end
end

function request()
  next = next % #queries + 1
  return wrk.format("GET", queries[next])
end
