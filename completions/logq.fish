# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_logq_global_optspecs
    string join \n l/level= m/module= c/cid= since= until= g/grep= F/fixed-strings i/ignore-case grep-line category= q/query= jq= glob= field-map= input-tz= show-invalid j/threads= a/binary max-line-bytes= no-fast-paths chunk-size= no-index index-dir= auto-index o/output= color= fields= hide= local utc time-format= pager= P/no-pager source no-source keep-prefix n/max-count= tail= reverse count by= h/help V/version
end

function __fish_logq_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_logq_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_logq_using_subcommand
    set -l cmd (__fish_logq_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c logq -n "__fish_logq_needs_command" -s l -l level -d 'This level and above (warn keeps warning, error, critical); =LEVEL for exactly one' -r
complete -c logq -n "__fish_logq_needs_command" -s m -l module -d 'Module glob (src.api.*), repeatable = OR; !GLOB excludes' -r
complete -c logq -n "__fish_logq_needs_command" -s c -l cid -d 'Any correlation field equals ID (repeatable = OR)' -r
complete -c logq -n "__fish_logq_needs_command" -l since -d 'Records at or after T (RFC3339, YYYY-MM-DD[ HH:MM[:SS]], today, yesterday, -15m, 2h)' -r
complete -c logq -n "__fish_logq_needs_command" -l until -d 'Records before T (same forms as --since)' -r
complete -c logq -n "__fish_logq_needs_command" -s g -l grep -d 'Regex on the message' -r
complete -c logq -n "__fish_logq_needs_command" -l category -d 'Category (the category field, else the first folder), repeatable = OR' -r
complete -c logq -n "__fish_logq_needs_command" -s q -l query -d 'Field query: \'duration_ms > 1000 or status = "failed"\'' -r
complete -c logq -n "__fish_logq_needs_command" -l jq -d 'jq select filter, pasted from a jq pipeline: \'select(.level=="error")\'' -r
complete -c logq -n "__fish_logq_needs_command" -l glob -d 'Which files a directory yields (repeatable; !GLOB excludes)' -r
complete -c logq -n "__fish_logq_needs_command" -l field-map -d 'Use NAME as a field for ROLE (level=severity, cid=ctx.req)' -r
complete -c logq -n "__fish_logq_needs_command" -l input-tz -d 'Zone of record times written without one: an IANA name (Europe/Berlin), local or UTC (default: local for Python text, loguru and asctime, UTC for other JSON)' -r
complete -c logq -n "__fish_logq_needs_command" -s j -l threads -d 'Number of threads, at most 256 (default: all cores)' -r
complete -c logq -n "__fish_logq_needs_command" -l max-line-bytes -d 'Skip (and report) lines longer than this: bytes, or with K, M or G (default: 64M)' -r
complete -c logq -n "__fish_logq_needs_command" -l chunk-size -d 'Bytes per parallel chunk (testing knob)' -r
complete -c logq -n "__fish_logq_needs_command" -l index-dir -d 'Where indexes are (default: $LOGQ_CACHE_DIR, else $XDG_CACHE_HOME/logq, else ~/.cache/logq)' -r -F
complete -c logq -n "__fish_logq_needs_command" -s o -l output -d 'Output format (default: pretty on a terminal, raw when piped)' -r -f -a "pretty\t''
json\t''
raw\t''
logfmt\t''"
complete -c logq -n "__fish_logq_needs_command" -l color -d 'Colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c logq -n "__fish_logq_needs_command" -l fields -d 'Show only these fields in pretty output (comma-separated)' -r
complete -c logq -n "__fish_logq_needs_command" -l hide -d 'Hide these fields in pretty output (comma-separated, repeatable)' -r
complete -c logq -n "__fish_logq_needs_command" -l time-format -d 'strftime pattern for times in pretty output' -r
complete -c logq -n "__fish_logq_needs_command" -l pager -d 'When to page output to a terminal: through $LOGQ_PAGER, else $PAGER, else less -RFX' -r -f -a "auto\t'Pretty output of search, trace and stats, unless stdin is a live pipe'
always\t'Any output to a terminal (json, raw, --count, tail without -f)'
never\t'No pager'"
complete -c logq -n "__fish_logq_needs_command" -s n -l max-count -d 'Only the first N matches' -r
complete -c logq -n "__fish_logq_needs_command" -l tail -d 'Only the last N matches' -r
complete -c logq -n "__fish_logq_needs_command" -l by -d 'With --count: one count per value of FIELD (a role such as level, module, category, or a dotted path)' -r
complete -c logq -n "__fish_logq_needs_command" -s F -l fixed-strings -d 'Treat --grep as a literal string'
complete -c logq -n "__fish_logq_needs_command" -s i -l ignore-case -d 'Make --grep ignore case'
complete -c logq -n "__fish_logq_needs_command" -l grep-line -d 'Make --grep search the whole raw line, not only the message'
complete -c logq -n "__fish_logq_needs_command" -l show-invalid -d 'Print unparsed lines too'
complete -c logq -n "__fish_logq_needs_command" -s a -l binary -d 'Search files with NUL bytes too (default: skip them as binary at the first NUL)'
complete -c logq -n "__fish_logq_needs_command" -l no-fast-paths -d 'Turn off the fast paths (prefilter, time seek, mmap); for checking them'
complete -c logq -n "__fish_logq_needs_command" -l no-index -d 'Read every file whole: use no index built by `logq index`'
complete -c logq -n "__fish_logq_needs_command" -l auto-index -d 'Index finished files that have no fresh index before searching (search, trace, stats; meant for LOGQ_CONFIG)'
complete -c logq -n "__fish_logq_needs_command" -l local -d 'Show times in the local time zone (also: read dates in filters as local)'
complete -c logq -n "__fish_logq_needs_command" -l utc -d 'Show times in UTC (the default)'
complete -c logq -n "__fish_logq_needs_command" -s P -l no-pager -d 'Never page (--pager never)'
complete -c logq -n "__fish_logq_needs_command" -l source -d 'Show the file of each record in pretty output (default: with several files)'
complete -c logq -n "__fish_logq_needs_command" -l no-source -d 'Never show the file of each record in pretty output'
complete -c logq -n "__fish_logq_needs_command" -l keep-prefix -d 'Raw output: keep a container prefix (api-1  | ) in front of JSON records'
complete -c logq -n "__fish_logq_needs_command" -l reverse -d 'Newest first'
complete -c logq -n "__fish_logq_needs_command" -l count -d 'Print the number of matches only'
complete -c logq -n "__fish_logq_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logq -n "__fish_logq_needs_command" -s V -l version -d 'Print version'
complete -c logq -n "__fish_logq_needs_command" -a "search" -d 'Search records, in time order across all inputs (the default)'
complete -c logq -n "__fish_logq_needs_command" -a "tail" -d 'Show the last records, and keep following with -f'
complete -c logq -n "__fish_logq_needs_command" -a "trace" -d 'Show every record of one request, across services, as a timeline'
complete -c logq -n "__fish_logq_needs_command" -a "stats" -d 'Count records by level or field, summarize numbers, draw histograms'
complete -c logq -n "__fish_logq_needs_command" -a "index" -d 'Build sidecar indexes so that queries read only what may match'
complete -c logq -n "__fish_logq_needs_command" -a "completions" -d 'Print shell completions'
complete -c logq -n "__fish_logq_needs_command" -a "man" -d 'Print the man page (or write all pages into a directory)'
complete -c logq -n "__fish_logq_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c logq -n "__fish_logq_using_subcommand search" -s l -l level -d 'This level and above (warn keeps warning, error, critical); =LEVEL for exactly one' -r
complete -c logq -n "__fish_logq_using_subcommand search" -s m -l module -d 'Module glob (src.api.*), repeatable = OR; !GLOB excludes' -r
complete -c logq -n "__fish_logq_using_subcommand search" -s c -l cid -d 'Any correlation field equals ID (repeatable = OR)' -r
complete -c logq -n "__fish_logq_using_subcommand search" -l since -d 'Records at or after T (RFC3339, YYYY-MM-DD[ HH:MM[:SS]], today, yesterday, -15m, 2h)' -r
complete -c logq -n "__fish_logq_using_subcommand search" -l until -d 'Records before T (same forms as --since)' -r
complete -c logq -n "__fish_logq_using_subcommand search" -s g -l grep -d 'Regex on the message' -r
complete -c logq -n "__fish_logq_using_subcommand search" -l category -d 'Category (the category field, else the first folder), repeatable = OR' -r
complete -c logq -n "__fish_logq_using_subcommand search" -s q -l query -d 'Field query: \'duration_ms > 1000 or status = "failed"\'' -r
complete -c logq -n "__fish_logq_using_subcommand search" -l jq -d 'jq select filter, pasted from a jq pipeline: \'select(.level=="error")\'' -r
complete -c logq -n "__fish_logq_using_subcommand search" -l glob -d 'Which files a directory yields (repeatable; !GLOB excludes)' -r
complete -c logq -n "__fish_logq_using_subcommand search" -l field-map -d 'Use NAME as a field for ROLE (level=severity, cid=ctx.req)' -r
complete -c logq -n "__fish_logq_using_subcommand search" -l input-tz -d 'Zone of record times written without one: an IANA name (Europe/Berlin), local or UTC (default: local for Python text, loguru and asctime, UTC for other JSON)' -r
complete -c logq -n "__fish_logq_using_subcommand search" -s j -l threads -d 'Number of threads, at most 256 (default: all cores)' -r
complete -c logq -n "__fish_logq_using_subcommand search" -l max-line-bytes -d 'Skip (and report) lines longer than this: bytes, or with K, M or G (default: 64M)' -r
complete -c logq -n "__fish_logq_using_subcommand search" -l chunk-size -d 'Bytes per parallel chunk (testing knob)' -r
complete -c logq -n "__fish_logq_using_subcommand search" -l index-dir -d 'Where indexes are (default: $LOGQ_CACHE_DIR, else $XDG_CACHE_HOME/logq, else ~/.cache/logq)' -r -F
complete -c logq -n "__fish_logq_using_subcommand search" -s o -l output -d 'Output format (default: pretty on a terminal, raw when piped)' -r -f -a "pretty\t''
json\t''
raw\t''
logfmt\t''"
complete -c logq -n "__fish_logq_using_subcommand search" -l color -d 'Colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c logq -n "__fish_logq_using_subcommand search" -l fields -d 'Show only these fields in pretty output (comma-separated)' -r
complete -c logq -n "__fish_logq_using_subcommand search" -l hide -d 'Hide these fields in pretty output (comma-separated, repeatable)' -r
complete -c logq -n "__fish_logq_using_subcommand search" -l time-format -d 'strftime pattern for times in pretty output' -r
complete -c logq -n "__fish_logq_using_subcommand search" -l pager -d 'When to page output to a terminal: through $LOGQ_PAGER, else $PAGER, else less -RFX' -r -f -a "auto\t'Pretty output of search, trace and stats, unless stdin is a live pipe'
always\t'Any output to a terminal (json, raw, --count, tail without -f)'
never\t'No pager'"
complete -c logq -n "__fish_logq_using_subcommand search" -s n -l max-count -d 'Only the first N matches' -r
complete -c logq -n "__fish_logq_using_subcommand search" -l tail -d 'Only the last N matches' -r
complete -c logq -n "__fish_logq_using_subcommand search" -l by -d 'With --count: one count per value of FIELD (a role such as level, module, category, or a dotted path)' -r
complete -c logq -n "__fish_logq_using_subcommand search" -s F -l fixed-strings -d 'Treat --grep as a literal string'
complete -c logq -n "__fish_logq_using_subcommand search" -s i -l ignore-case -d 'Make --grep ignore case'
complete -c logq -n "__fish_logq_using_subcommand search" -l grep-line -d 'Make --grep search the whole raw line, not only the message'
complete -c logq -n "__fish_logq_using_subcommand search" -l show-invalid -d 'Print unparsed lines too'
complete -c logq -n "__fish_logq_using_subcommand search" -s a -l binary -d 'Search files with NUL bytes too (default: skip them as binary at the first NUL)'
complete -c logq -n "__fish_logq_using_subcommand search" -l no-fast-paths -d 'Turn off the fast paths (prefilter, time seek, mmap); for checking them'
complete -c logq -n "__fish_logq_using_subcommand search" -l no-index -d 'Read every file whole: use no index built by `logq index`'
complete -c logq -n "__fish_logq_using_subcommand search" -l auto-index -d 'Index finished files that have no fresh index before searching (search, trace, stats; meant for LOGQ_CONFIG)'
complete -c logq -n "__fish_logq_using_subcommand search" -l local -d 'Show times in the local time zone (also: read dates in filters as local)'
complete -c logq -n "__fish_logq_using_subcommand search" -l utc -d 'Show times in UTC (the default)'
complete -c logq -n "__fish_logq_using_subcommand search" -s P -l no-pager -d 'Never page (--pager never)'
complete -c logq -n "__fish_logq_using_subcommand search" -l source -d 'Show the file of each record in pretty output (default: with several files)'
complete -c logq -n "__fish_logq_using_subcommand search" -l no-source -d 'Never show the file of each record in pretty output'
complete -c logq -n "__fish_logq_using_subcommand search" -l keep-prefix -d 'Raw output: keep a container prefix (api-1  | ) in front of JSON records'
complete -c logq -n "__fish_logq_using_subcommand search" -l reverse -d 'Newest first'
complete -c logq -n "__fish_logq_using_subcommand search" -l count -d 'Print the number of matches only'
complete -c logq -n "__fish_logq_using_subcommand search" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logq -n "__fish_logq_using_subcommand tail" -s l -l level -d 'This level and above (warn keeps warning, error, critical); =LEVEL for exactly one' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -s m -l module -d 'Module glob (src.api.*), repeatable = OR; !GLOB excludes' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -s c -l cid -d 'Any correlation field equals ID (repeatable = OR)' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -l since -d 'Records at or after T (RFC3339, YYYY-MM-DD[ HH:MM[:SS]], today, yesterday, -15m, 2h)' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -l until -d 'Records before T (same forms as --since)' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -s g -l grep -d 'Regex on the message' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -l category -d 'Category (the category field, else the first folder), repeatable = OR' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -s q -l query -d 'Field query: \'duration_ms > 1000 or status = "failed"\'' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -l jq -d 'jq select filter, pasted from a jq pipeline: \'select(.level=="error")\'' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -l glob -d 'Which files a directory yields (repeatable; !GLOB excludes)' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -l field-map -d 'Use NAME as a field for ROLE (level=severity, cid=ctx.req)' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -l input-tz -d 'Zone of record times written without one: an IANA name (Europe/Berlin), local or UTC (default: local for Python text, loguru and asctime, UTC for other JSON)' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -s j -l threads -d 'Number of threads, at most 256 (default: all cores)' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -l max-line-bytes -d 'Skip (and report) lines longer than this: bytes, or with K, M or G (default: 64M)' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -l chunk-size -d 'Bytes per parallel chunk (testing knob)' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -l index-dir -d 'Where indexes are (default: $LOGQ_CACHE_DIR, else $XDG_CACHE_HOME/logq, else ~/.cache/logq)' -r -F
complete -c logq -n "__fish_logq_using_subcommand tail" -s o -l output -d 'Output format (default: pretty on a terminal, raw when piped)' -r -f -a "pretty\t''
json\t''
raw\t''
logfmt\t''"
complete -c logq -n "__fish_logq_using_subcommand tail" -l color -d 'Colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c logq -n "__fish_logq_using_subcommand tail" -l fields -d 'Show only these fields in pretty output (comma-separated)' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -l hide -d 'Hide these fields in pretty output (comma-separated, repeatable)' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -l time-format -d 'strftime pattern for times in pretty output' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -l pager -d 'When to page output to a terminal: through $LOGQ_PAGER, else $PAGER, else less -RFX' -r -f -a "auto\t'Pretty output of search, trace and stats, unless stdin is a live pipe'
always\t'Any output to a terminal (json, raw, --count, tail without -f)'
never\t'No pager'"
complete -c logq -n "__fish_logq_using_subcommand tail" -s n -l lines -d 'Number of records shown before following' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -l sync-interval-ms -d 'Milliseconds to wait for other files\' records before printing, so records of several files come out in time order' -r
complete -c logq -n "__fish_logq_using_subcommand tail" -s F -l fixed-strings -d 'Treat --grep as a literal string'
complete -c logq -n "__fish_logq_using_subcommand tail" -s i -l ignore-case -d 'Make --grep ignore case'
complete -c logq -n "__fish_logq_using_subcommand tail" -l grep-line -d 'Make --grep search the whole raw line, not only the message'
complete -c logq -n "__fish_logq_using_subcommand tail" -l show-invalid -d 'Print unparsed lines too'
complete -c logq -n "__fish_logq_using_subcommand tail" -s a -l binary -d 'Search files with NUL bytes too (default: skip them as binary at the first NUL)'
complete -c logq -n "__fish_logq_using_subcommand tail" -l no-fast-paths -d 'Turn off the fast paths (prefilter, time seek, mmap); for checking them'
complete -c logq -n "__fish_logq_using_subcommand tail" -l no-index -d 'Read every file whole: use no index built by `logq index`'
complete -c logq -n "__fish_logq_using_subcommand tail" -l auto-index -d 'Index finished files that have no fresh index before searching (search, trace, stats; meant for LOGQ_CONFIG)'
complete -c logq -n "__fish_logq_using_subcommand tail" -l local -d 'Show times in the local time zone (also: read dates in filters as local)'
complete -c logq -n "__fish_logq_using_subcommand tail" -l utc -d 'Show times in UTC (the default)'
complete -c logq -n "__fish_logq_using_subcommand tail" -s P -l no-pager -d 'Never page (--pager never)'
complete -c logq -n "__fish_logq_using_subcommand tail" -l source -d 'Show the file of each record in pretty output (default: with several files)'
complete -c logq -n "__fish_logq_using_subcommand tail" -l no-source -d 'Never show the file of each record in pretty output'
complete -c logq -n "__fish_logq_using_subcommand tail" -l keep-prefix -d 'Raw output: keep a container prefix (api-1  | ) in front of JSON records'
complete -c logq -n "__fish_logq_using_subcommand tail" -s f -l follow -d 'Keep following: new records, rotation, new files'
complete -c logq -n "__fish_logq_using_subcommand tail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logq -n "__fish_logq_using_subcommand trace" -s l -l level -d 'This level and above (warn keeps warning, error, critical); =LEVEL for exactly one' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -s m -l module -d 'Module glob (src.api.*), repeatable = OR; !GLOB excludes' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -s c -l cid -d 'Any correlation field equals ID (repeatable = OR)' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -l since -d 'Records at or after T (RFC3339, YYYY-MM-DD[ HH:MM[:SS]], today, yesterday, -15m, 2h)' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -l until -d 'Records before T (same forms as --since)' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -s g -l grep -d 'Regex on the message' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -l category -d 'Category (the category field, else the first folder), repeatable = OR' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -s q -l query -d 'Field query: \'duration_ms > 1000 or status = "failed"\'' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -l jq -d 'jq select filter, pasted from a jq pipeline: \'select(.level=="error")\'' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -l glob -d 'Which files a directory yields (repeatable; !GLOB excludes)' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -l field-map -d 'Use NAME as a field for ROLE (level=severity, cid=ctx.req)' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -l input-tz -d 'Zone of record times written without one: an IANA name (Europe/Berlin), local or UTC (default: local for Python text, loguru and asctime, UTC for other JSON)' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -s j -l threads -d 'Number of threads, at most 256 (default: all cores)' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -l max-line-bytes -d 'Skip (and report) lines longer than this: bytes, or with K, M or G (default: 64M)' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -l chunk-size -d 'Bytes per parallel chunk (testing knob)' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -l index-dir -d 'Where indexes are (default: $LOGQ_CACHE_DIR, else $XDG_CACHE_HOME/logq, else ~/.cache/logq)' -r -F
complete -c logq -n "__fish_logq_using_subcommand trace" -s o -l output -d 'Output format (default: pretty on a terminal, raw when piped)' -r -f -a "pretty\t''
json\t''
raw\t''
logfmt\t''"
complete -c logq -n "__fish_logq_using_subcommand trace" -l color -d 'Colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c logq -n "__fish_logq_using_subcommand trace" -l fields -d 'Show only these fields in pretty output (comma-separated)' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -l hide -d 'Hide these fields in pretty output (comma-separated, repeatable)' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -l time-format -d 'strftime pattern for times in pretty output' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -l pager -d 'When to page output to a terminal: through $LOGQ_PAGER, else $PAGER, else less -RFX' -r -f -a "auto\t'Pretty output of search, trace and stats, unless stdin is a live pipe'
always\t'Any output to a terminal (json, raw, --count, tail without -f)'
never\t'No pager'"
complete -c logq -n "__fish_logq_using_subcommand trace" -l ids-from -d 'Trace every id found in FIELD among records matching the filters' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -l duration-field -d 'Read a step\'s duration from FIELD first (repeatable, dotted path)' -r
complete -c logq -n "__fish_logq_using_subcommand trace" -s F -l fixed-strings -d 'Treat --grep as a literal string'
complete -c logq -n "__fish_logq_using_subcommand trace" -s i -l ignore-case -d 'Make --grep ignore case'
complete -c logq -n "__fish_logq_using_subcommand trace" -l grep-line -d 'Make --grep search the whole raw line, not only the message'
complete -c logq -n "__fish_logq_using_subcommand trace" -l show-invalid -d 'Print unparsed lines too'
complete -c logq -n "__fish_logq_using_subcommand trace" -s a -l binary -d 'Search files with NUL bytes too (default: skip them as binary at the first NUL)'
complete -c logq -n "__fish_logq_using_subcommand trace" -l no-fast-paths -d 'Turn off the fast paths (prefilter, time seek, mmap); for checking them'
complete -c logq -n "__fish_logq_using_subcommand trace" -l no-index -d 'Read every file whole: use no index built by `logq index`'
complete -c logq -n "__fish_logq_using_subcommand trace" -l auto-index -d 'Index finished files that have no fresh index before searching (search, trace, stats; meant for LOGQ_CONFIG)'
complete -c logq -n "__fish_logq_using_subcommand trace" -l local -d 'Show times in the local time zone (also: read dates in filters as local)'
complete -c logq -n "__fish_logq_using_subcommand trace" -l utc -d 'Show times in UTC (the default)'
complete -c logq -n "__fish_logq_using_subcommand trace" -s P -l no-pager -d 'Never page (--pager never)'
complete -c logq -n "__fish_logq_using_subcommand trace" -l source -d 'Show the file of each record in pretty output (default: with several files)'
complete -c logq -n "__fish_logq_using_subcommand trace" -l no-source -d 'Never show the file of each record in pretty output'
complete -c logq -n "__fish_logq_using_subcommand trace" -l keep-prefix -d 'Raw output: keep a container prefix (api-1  | ) in front of JSON records'
complete -c logq -n "__fish_logq_using_subcommand trace" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logq -n "__fish_logq_using_subcommand stats" -s l -l level -d 'This level and above (warn keeps warning, error, critical); =LEVEL for exactly one' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -s m -l module -d 'Module glob (src.api.*), repeatable = OR; !GLOB excludes' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -s c -l cid -d 'Any correlation field equals ID (repeatable = OR)' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l since -d 'Records at or after T (RFC3339, YYYY-MM-DD[ HH:MM[:SS]], today, yesterday, -15m, 2h)' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l until -d 'Records before T (same forms as --since)' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -s g -l grep -d 'Regex on the message' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l category -d 'Category (the category field, else the first folder), repeatable = OR' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -s q -l query -d 'Field query: \'duration_ms > 1000 or status = "failed"\'' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l jq -d 'jq select filter, pasted from a jq pipeline: \'select(.level=="error")\'' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l glob -d 'Which files a directory yields (repeatable; !GLOB excludes)' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l field-map -d 'Use NAME as a field for ROLE (level=severity, cid=ctx.req)' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l input-tz -d 'Zone of record times written without one: an IANA name (Europe/Berlin), local or UTC (default: local for Python text, loguru and asctime, UTC for other JSON)' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -s j -l threads -d 'Number of threads, at most 256 (default: all cores)' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l max-line-bytes -d 'Skip (and report) lines longer than this: bytes, or with K, M or G (default: 64M)' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l chunk-size -d 'Bytes per parallel chunk (testing knob)' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l index-dir -d 'Where indexes are (default: $LOGQ_CACHE_DIR, else $XDG_CACHE_HOME/logq, else ~/.cache/logq)' -r -F
complete -c logq -n "__fish_logq_using_subcommand stats" -s o -l output -d 'Output format (default: pretty on a terminal, raw when piped)' -r -f -a "pretty\t''
json\t''
raw\t''
logfmt\t''"
complete -c logq -n "__fish_logq_using_subcommand stats" -l color -d 'Colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c logq -n "__fish_logq_using_subcommand stats" -l fields -d 'Show only these fields in pretty output (comma-separated)' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l hide -d 'Hide these fields in pretty output (comma-separated, repeatable)' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l time-format -d 'strftime pattern for times in pretty output' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l pager -d 'When to page output to a terminal: through $LOGQ_PAGER, else $PAGER, else less -RFX' -r -f -a "auto\t'Pretty output of search, trace and stats, unless stdin is a live pipe'
always\t'Any output to a terminal (json, raw, --count, tail without -f)'
never\t'No pager'"
complete -c logq -n "__fish_logq_using_subcommand stats" -l by -d 'Count per value of FIELD (a role or a dotted path); repeatable' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l field -d 'Summarize a numeric field: count, min, mean, p50, p90, p99, max' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l every -d 'Per time bucket (5m, 1h…), drawn as a bar chart; without a value, a round width giving about 40 rows' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -l top -d 'Show the N largest groups, the rest summed as "other"' -r
complete -c logq -n "__fish_logq_using_subcommand stats" -s F -l fixed-strings -d 'Treat --grep as a literal string'
complete -c logq -n "__fish_logq_using_subcommand stats" -s i -l ignore-case -d 'Make --grep ignore case'
complete -c logq -n "__fish_logq_using_subcommand stats" -l grep-line -d 'Make --grep search the whole raw line, not only the message'
complete -c logq -n "__fish_logq_using_subcommand stats" -l show-invalid -d 'Print unparsed lines too'
complete -c logq -n "__fish_logq_using_subcommand stats" -s a -l binary -d 'Search files with NUL bytes too (default: skip them as binary at the first NUL)'
complete -c logq -n "__fish_logq_using_subcommand stats" -l no-fast-paths -d 'Turn off the fast paths (prefilter, time seek, mmap); for checking them'
complete -c logq -n "__fish_logq_using_subcommand stats" -l no-index -d 'Read every file whole: use no index built by `logq index`'
complete -c logq -n "__fish_logq_using_subcommand stats" -l auto-index -d 'Index finished files that have no fresh index before searching (search, trace, stats; meant for LOGQ_CONFIG)'
complete -c logq -n "__fish_logq_using_subcommand stats" -l local -d 'Show times in the local time zone (also: read dates in filters as local)'
complete -c logq -n "__fish_logq_using_subcommand stats" -l utc -d 'Show times in UTC (the default)'
complete -c logq -n "__fish_logq_using_subcommand stats" -s P -l no-pager -d 'Never page (--pager never)'
complete -c logq -n "__fish_logq_using_subcommand stats" -l source -d 'Show the file of each record in pretty output (default: with several files)'
complete -c logq -n "__fish_logq_using_subcommand stats" -l no-source -d 'Never show the file of each record in pretty output'
complete -c logq -n "__fish_logq_using_subcommand stats" -l keep-prefix -d 'Raw output: keep a container prefix (api-1  | ) in front of JSON records'
complete -c logq -n "__fish_logq_using_subcommand stats" -l json -d 'One JSON document for scripts'
complete -c logq -n "__fish_logq_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logq -n "__fish_logq_using_subcommand index" -l index-field -d 'Also index the values of FIELD, a dotted path (user_id, context.org_id), so that -q \'FIELD = V\' reads only the blocks holding V; repeatable, or comma-separated' -r
complete -c logq -n "__fish_logq_using_subcommand index" -l index-dir -d 'Where to write indexes (default: $LOGQ_CACHE_DIR, else $XDG_CACHE_HOME/logq, else ~/.cache/logq); queries must be given the same' -r -F
complete -c logq -n "__fish_logq_using_subcommand index" -l glob -d 'Which files a directory yields (repeatable; !GLOB excludes)' -r
complete -c logq -n "__fish_logq_using_subcommand index" -l field-map -d 'Use NAME as a field for ROLE (level=severity, cid=ctx.req); queries must map the same' -r
complete -c logq -n "__fish_logq_using_subcommand index" -l input-tz -d 'Zone of record times written without one; queries must use the same' -r
complete -c logq -n "__fish_logq_using_subcommand index" -s j -l threads -d 'Number of threads, at most 256 (default: all cores)' -r
complete -c logq -n "__fish_logq_using_subcommand index" -l max-line-bytes -d 'Leave files with lines longer than this unindexed (default: 64M)' -r
complete -c logq -n "__fish_logq_using_subcommand index" -l block-size -d 'Bytes of text per block (testing knob)' -r
complete -c logq -n "__fish_logq_using_subcommand index" -l status -d 'Show what is indexed and how fresh, build nothing'
complete -c logq -n "__fish_logq_using_subcommand index" -l force -d 'Rebuild indexes that are fresh'
complete -c logq -n "__fish_logq_using_subcommand index" -l prune -d 'Also delete the indexes of files under PATH that are gone (deleted, or replaced by another file), and temporary files an interrupted run left'
complete -c logq -n "__fish_logq_using_subcommand index" -s a -l binary -d 'Index files with NUL bytes too (default: leave them unindexed)'
complete -c logq -n "__fish_logq_using_subcommand index" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logq -n "__fish_logq_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logq -n "__fish_logq_using_subcommand man" -l dir -d 'Write logq.1 and one page per subcommand into this directory' -r -F
complete -c logq -n "__fish_logq_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logq -n "__fish_logq_using_subcommand help; and not __fish_seen_subcommand_from search tail trace stats index completions man help" -f -a "search" -d 'Search records, in time order across all inputs (the default)'
complete -c logq -n "__fish_logq_using_subcommand help; and not __fish_seen_subcommand_from search tail trace stats index completions man help" -f -a "tail" -d 'Show the last records, and keep following with -f'
complete -c logq -n "__fish_logq_using_subcommand help; and not __fish_seen_subcommand_from search tail trace stats index completions man help" -f -a "trace" -d 'Show every record of one request, across services, as a timeline'
complete -c logq -n "__fish_logq_using_subcommand help; and not __fish_seen_subcommand_from search tail trace stats index completions man help" -f -a "stats" -d 'Count records by level or field, summarize numbers, draw histograms'
complete -c logq -n "__fish_logq_using_subcommand help; and not __fish_seen_subcommand_from search tail trace stats index completions man help" -f -a "index" -d 'Build sidecar indexes so that queries read only what may match'
complete -c logq -n "__fish_logq_using_subcommand help; and not __fish_seen_subcommand_from search tail trace stats index completions man help" -f -a "completions" -d 'Print shell completions'
complete -c logq -n "__fish_logq_using_subcommand help; and not __fish_seen_subcommand_from search tail trace stats index completions man help" -f -a "man" -d 'Print the man page (or write all pages into a directory)'
complete -c logq -n "__fish_logq_using_subcommand help; and not __fish_seen_subcommand_from search tail trace stats index completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
