
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'logq' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'logq'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'logq' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'This level and above (warn keeps warning, error, critical); =LEVEL for exactly one')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'This level and above (warn keeps warning, error, critical); =LEVEL for exactly one')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Module glob (src.api.*), repeatable = OR; !GLOB excludes')
            [CompletionResult]::new('--module', '--module', [CompletionResultType]::ParameterName, 'Module glob (src.api.*), repeatable = OR; !GLOB excludes')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Any correlation field equals ID (repeatable = OR)')
            [CompletionResult]::new('--cid', '--cid', [CompletionResultType]::ParameterName, 'Any correlation field equals ID (repeatable = OR)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Records at or after T (RFC3339, YYYY-MM-DD[ HH:MM[:SS]], today, yesterday, -15m, 2h)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Records before T (same forms as --since)')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Regex on the message')
            [CompletionResult]::new('--grep', '--grep', [CompletionResultType]::ParameterName, 'Regex on the message')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Category (the category field, else the first folder), repeatable = OR')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Field query: ''duration_ms > 1000 or status = "failed"''')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Field query: ''duration_ms > 1000 or status = "failed"''')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'jq select filter, pasted from a jq pipeline: ''select(.level=="error")''')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Which files a directory yields (repeatable; !GLOB excludes)')
            [CompletionResult]::new('--field-map', '--field-map', [CompletionResultType]::ParameterName, 'Use NAME as a field for ROLE (level=severity, cid=ctx.req)')
            [CompletionResult]::new('--input-tz', '--input-tz', [CompletionResultType]::ParameterName, 'Zone of record times written without one: an IANA name (Europe/Berlin), local or UTC (default: local for Python text, loguru and asctime, UTC for other JSON)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Number of threads, at most 256 (default: all cores)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Number of threads, at most 256 (default: all cores)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Skip (and report) lines longer than this: bytes, or with K, M or G (default: 64M)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Bytes per parallel chunk (testing knob)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: pretty on a terminal, raw when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: pretty on a terminal, raw when piped)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colours')
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'Show only these fields in pretty output (comma-separated)')
            [CompletionResult]::new('--hide', '--hide', [CompletionResultType]::ParameterName, 'Hide these fields in pretty output (comma-separated, repeatable)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'strftime pattern for times in pretty output')
            [CompletionResult]::new('--pager', '--pager', [CompletionResultType]::ParameterName, 'When to page output to a terminal: through $LOGQ_PAGER, else $PAGER, else less -RFX')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only the first N matches')
            [CompletionResult]::new('--max-count', '--max-count', [CompletionResultType]::ParameterName, 'Only the first N matches')
            [CompletionResult]::new('--tail', '--tail', [CompletionResultType]::ParameterName, 'Only the last N matches')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'With --count: one count per value of FIELD (a role such as level, module, category, or a dotted path)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Treat --grep as a literal string')
            [CompletionResult]::new('--fixed-strings', '--fixed-strings', [CompletionResultType]::ParameterName, 'Treat --grep as a literal string')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Make --grep ignore case')
            [CompletionResult]::new('--ignore-case', '--ignore-case', [CompletionResultType]::ParameterName, 'Make --grep ignore case')
            [CompletionResult]::new('--grep-line', '--grep-line', [CompletionResultType]::ParameterName, 'Make --grep search the whole raw line, not only the message')
            [CompletionResult]::new('--show-invalid', '--show-invalid', [CompletionResultType]::ParameterName, 'Print unparsed lines too')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Search files with NUL bytes too (default: skip them as binary at the first NUL)')
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'Search files with NUL bytes too (default: skip them as binary at the first NUL)')
            [CompletionResult]::new('--no-fast-paths', '--no-fast-paths', [CompletionResultType]::ParameterName, 'Turn off the fast paths (prefilter, time seek, mmap); for checking them')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show times in the local time zone (also: read dates in filters as local)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC (the default)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Never page (--pager never)')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page (--pager never)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Show the file of each record in pretty output (default: with several files)')
            [CompletionResult]::new('--no-source', '--no-source', [CompletionResultType]::ParameterName, 'Never show the file of each record in pretty output')
            [CompletionResult]::new('--keep-prefix', '--keep-prefix', [CompletionResultType]::ParameterName, 'Raw output: keep a container prefix (api-1  | ) in front of JSON records')
            [CompletionResult]::new('--reverse', '--reverse', [CompletionResultType]::ParameterName, 'Newest first')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Print the number of matches only')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search records, in time order across all inputs (the default)')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Show the last records, and keep following with -f')
            [CompletionResult]::new('trace', 'trace', [CompletionResultType]::ParameterValue, 'Show every record of one request, across services, as a timeline')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Count records by level or field, summarize numbers, draw histograms')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (or write all pages into a directory)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'logq;search' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'This level and above (warn keeps warning, error, critical); =LEVEL for exactly one')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'This level and above (warn keeps warning, error, critical); =LEVEL for exactly one')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Module glob (src.api.*), repeatable = OR; !GLOB excludes')
            [CompletionResult]::new('--module', '--module', [CompletionResultType]::ParameterName, 'Module glob (src.api.*), repeatable = OR; !GLOB excludes')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Any correlation field equals ID (repeatable = OR)')
            [CompletionResult]::new('--cid', '--cid', [CompletionResultType]::ParameterName, 'Any correlation field equals ID (repeatable = OR)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Records at or after T (RFC3339, YYYY-MM-DD[ HH:MM[:SS]], today, yesterday, -15m, 2h)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Records before T (same forms as --since)')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Regex on the message')
            [CompletionResult]::new('--grep', '--grep', [CompletionResultType]::ParameterName, 'Regex on the message')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Category (the category field, else the first folder), repeatable = OR')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Field query: ''duration_ms > 1000 or status = "failed"''')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Field query: ''duration_ms > 1000 or status = "failed"''')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'jq select filter, pasted from a jq pipeline: ''select(.level=="error")''')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Which files a directory yields (repeatable; !GLOB excludes)')
            [CompletionResult]::new('--field-map', '--field-map', [CompletionResultType]::ParameterName, 'Use NAME as a field for ROLE (level=severity, cid=ctx.req)')
            [CompletionResult]::new('--input-tz', '--input-tz', [CompletionResultType]::ParameterName, 'Zone of record times written without one: an IANA name (Europe/Berlin), local or UTC (default: local for Python text, loguru and asctime, UTC for other JSON)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Number of threads, at most 256 (default: all cores)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Number of threads, at most 256 (default: all cores)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Skip (and report) lines longer than this: bytes, or with K, M or G (default: 64M)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Bytes per parallel chunk (testing knob)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: pretty on a terminal, raw when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: pretty on a terminal, raw when piped)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colours')
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'Show only these fields in pretty output (comma-separated)')
            [CompletionResult]::new('--hide', '--hide', [CompletionResultType]::ParameterName, 'Hide these fields in pretty output (comma-separated, repeatable)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'strftime pattern for times in pretty output')
            [CompletionResult]::new('--pager', '--pager', [CompletionResultType]::ParameterName, 'When to page output to a terminal: through $LOGQ_PAGER, else $PAGER, else less -RFX')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only the first N matches')
            [CompletionResult]::new('--max-count', '--max-count', [CompletionResultType]::ParameterName, 'Only the first N matches')
            [CompletionResult]::new('--tail', '--tail', [CompletionResultType]::ParameterName, 'Only the last N matches')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'With --count: one count per value of FIELD (a role such as level, module, category, or a dotted path)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Treat --grep as a literal string')
            [CompletionResult]::new('--fixed-strings', '--fixed-strings', [CompletionResultType]::ParameterName, 'Treat --grep as a literal string')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Make --grep ignore case')
            [CompletionResult]::new('--ignore-case', '--ignore-case', [CompletionResultType]::ParameterName, 'Make --grep ignore case')
            [CompletionResult]::new('--grep-line', '--grep-line', [CompletionResultType]::ParameterName, 'Make --grep search the whole raw line, not only the message')
            [CompletionResult]::new('--show-invalid', '--show-invalid', [CompletionResultType]::ParameterName, 'Print unparsed lines too')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Search files with NUL bytes too (default: skip them as binary at the first NUL)')
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'Search files with NUL bytes too (default: skip them as binary at the first NUL)')
            [CompletionResult]::new('--no-fast-paths', '--no-fast-paths', [CompletionResultType]::ParameterName, 'Turn off the fast paths (prefilter, time seek, mmap); for checking them')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show times in the local time zone (also: read dates in filters as local)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC (the default)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Never page (--pager never)')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page (--pager never)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Show the file of each record in pretty output (default: with several files)')
            [CompletionResult]::new('--no-source', '--no-source', [CompletionResultType]::ParameterName, 'Never show the file of each record in pretty output')
            [CompletionResult]::new('--keep-prefix', '--keep-prefix', [CompletionResultType]::ParameterName, 'Raw output: keep a container prefix (api-1  | ) in front of JSON records')
            [CompletionResult]::new('--reverse', '--reverse', [CompletionResultType]::ParameterName, 'Newest first')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Print the number of matches only')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'logq;tail' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'This level and above (warn keeps warning, error, critical); =LEVEL for exactly one')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'This level and above (warn keeps warning, error, critical); =LEVEL for exactly one')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Module glob (src.api.*), repeatable = OR; !GLOB excludes')
            [CompletionResult]::new('--module', '--module', [CompletionResultType]::ParameterName, 'Module glob (src.api.*), repeatable = OR; !GLOB excludes')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Any correlation field equals ID (repeatable = OR)')
            [CompletionResult]::new('--cid', '--cid', [CompletionResultType]::ParameterName, 'Any correlation field equals ID (repeatable = OR)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Records at or after T (RFC3339, YYYY-MM-DD[ HH:MM[:SS]], today, yesterday, -15m, 2h)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Records before T (same forms as --since)')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Regex on the message')
            [CompletionResult]::new('--grep', '--grep', [CompletionResultType]::ParameterName, 'Regex on the message')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Category (the category field, else the first folder), repeatable = OR')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Field query: ''duration_ms > 1000 or status = "failed"''')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Field query: ''duration_ms > 1000 or status = "failed"''')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'jq select filter, pasted from a jq pipeline: ''select(.level=="error")''')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Which files a directory yields (repeatable; !GLOB excludes)')
            [CompletionResult]::new('--field-map', '--field-map', [CompletionResultType]::ParameterName, 'Use NAME as a field for ROLE (level=severity, cid=ctx.req)')
            [CompletionResult]::new('--input-tz', '--input-tz', [CompletionResultType]::ParameterName, 'Zone of record times written without one: an IANA name (Europe/Berlin), local or UTC (default: local for Python text, loguru and asctime, UTC for other JSON)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Number of threads, at most 256 (default: all cores)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Number of threads, at most 256 (default: all cores)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Skip (and report) lines longer than this: bytes, or with K, M or G (default: 64M)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Bytes per parallel chunk (testing knob)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: pretty on a terminal, raw when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: pretty on a terminal, raw when piped)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colours')
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'Show only these fields in pretty output (comma-separated)')
            [CompletionResult]::new('--hide', '--hide', [CompletionResultType]::ParameterName, 'Hide these fields in pretty output (comma-separated, repeatable)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'strftime pattern for times in pretty output')
            [CompletionResult]::new('--pager', '--pager', [CompletionResultType]::ParameterName, 'When to page output to a terminal: through $LOGQ_PAGER, else $PAGER, else less -RFX')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Number of records shown before following')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'Number of records shown before following')
            [CompletionResult]::new('--sync-interval-ms', '--sync-interval-ms', [CompletionResultType]::ParameterName, 'Milliseconds to wait for other files'' records before printing, so records of several files come out in time order')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Treat --grep as a literal string')
            [CompletionResult]::new('--fixed-strings', '--fixed-strings', [CompletionResultType]::ParameterName, 'Treat --grep as a literal string')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Make --grep ignore case')
            [CompletionResult]::new('--ignore-case', '--ignore-case', [CompletionResultType]::ParameterName, 'Make --grep ignore case')
            [CompletionResult]::new('--grep-line', '--grep-line', [CompletionResultType]::ParameterName, 'Make --grep search the whole raw line, not only the message')
            [CompletionResult]::new('--show-invalid', '--show-invalid', [CompletionResultType]::ParameterName, 'Print unparsed lines too')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Search files with NUL bytes too (default: skip them as binary at the first NUL)')
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'Search files with NUL bytes too (default: skip them as binary at the first NUL)')
            [CompletionResult]::new('--no-fast-paths', '--no-fast-paths', [CompletionResultType]::ParameterName, 'Turn off the fast paths (prefilter, time seek, mmap); for checking them')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show times in the local time zone (also: read dates in filters as local)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC (the default)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Never page (--pager never)')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page (--pager never)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Show the file of each record in pretty output (default: with several files)')
            [CompletionResult]::new('--no-source', '--no-source', [CompletionResultType]::ParameterName, 'Never show the file of each record in pretty output')
            [CompletionResult]::new('--keep-prefix', '--keep-prefix', [CompletionResultType]::ParameterName, 'Raw output: keep a container prefix (api-1  | ) in front of JSON records')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep following: new records, rotation, new files')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep following: new records, rotation, new files')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'logq;trace' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'This level and above (warn keeps warning, error, critical); =LEVEL for exactly one')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'This level and above (warn keeps warning, error, critical); =LEVEL for exactly one')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Module glob (src.api.*), repeatable = OR; !GLOB excludes')
            [CompletionResult]::new('--module', '--module', [CompletionResultType]::ParameterName, 'Module glob (src.api.*), repeatable = OR; !GLOB excludes')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Any correlation field equals ID (repeatable = OR)')
            [CompletionResult]::new('--cid', '--cid', [CompletionResultType]::ParameterName, 'Any correlation field equals ID (repeatable = OR)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Records at or after T (RFC3339, YYYY-MM-DD[ HH:MM[:SS]], today, yesterday, -15m, 2h)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Records before T (same forms as --since)')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Regex on the message')
            [CompletionResult]::new('--grep', '--grep', [CompletionResultType]::ParameterName, 'Regex on the message')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Category (the category field, else the first folder), repeatable = OR')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Field query: ''duration_ms > 1000 or status = "failed"''')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Field query: ''duration_ms > 1000 or status = "failed"''')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'jq select filter, pasted from a jq pipeline: ''select(.level=="error")''')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Which files a directory yields (repeatable; !GLOB excludes)')
            [CompletionResult]::new('--field-map', '--field-map', [CompletionResultType]::ParameterName, 'Use NAME as a field for ROLE (level=severity, cid=ctx.req)')
            [CompletionResult]::new('--input-tz', '--input-tz', [CompletionResultType]::ParameterName, 'Zone of record times written without one: an IANA name (Europe/Berlin), local or UTC (default: local for Python text, loguru and asctime, UTC for other JSON)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Number of threads, at most 256 (default: all cores)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Number of threads, at most 256 (default: all cores)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Skip (and report) lines longer than this: bytes, or with K, M or G (default: 64M)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Bytes per parallel chunk (testing knob)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: pretty on a terminal, raw when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: pretty on a terminal, raw when piped)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colours')
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'Show only these fields in pretty output (comma-separated)')
            [CompletionResult]::new('--hide', '--hide', [CompletionResultType]::ParameterName, 'Hide these fields in pretty output (comma-separated, repeatable)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'strftime pattern for times in pretty output')
            [CompletionResult]::new('--pager', '--pager', [CompletionResultType]::ParameterName, 'When to page output to a terminal: through $LOGQ_PAGER, else $PAGER, else less -RFX')
            [CompletionResult]::new('--ids-from', '--ids-from', [CompletionResultType]::ParameterName, 'Trace every id found in FIELD among records matching the filters')
            [CompletionResult]::new('--duration-field', '--duration-field', [CompletionResultType]::ParameterName, 'Read a step''s duration from FIELD first (repeatable, dotted path)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Treat --grep as a literal string')
            [CompletionResult]::new('--fixed-strings', '--fixed-strings', [CompletionResultType]::ParameterName, 'Treat --grep as a literal string')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Make --grep ignore case')
            [CompletionResult]::new('--ignore-case', '--ignore-case', [CompletionResultType]::ParameterName, 'Make --grep ignore case')
            [CompletionResult]::new('--grep-line', '--grep-line', [CompletionResultType]::ParameterName, 'Make --grep search the whole raw line, not only the message')
            [CompletionResult]::new('--show-invalid', '--show-invalid', [CompletionResultType]::ParameterName, 'Print unparsed lines too')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Search files with NUL bytes too (default: skip them as binary at the first NUL)')
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'Search files with NUL bytes too (default: skip them as binary at the first NUL)')
            [CompletionResult]::new('--no-fast-paths', '--no-fast-paths', [CompletionResultType]::ParameterName, 'Turn off the fast paths (prefilter, time seek, mmap); for checking them')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show times in the local time zone (also: read dates in filters as local)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC (the default)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Never page (--pager never)')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page (--pager never)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Show the file of each record in pretty output (default: with several files)')
            [CompletionResult]::new('--no-source', '--no-source', [CompletionResultType]::ParameterName, 'Never show the file of each record in pretty output')
            [CompletionResult]::new('--keep-prefix', '--keep-prefix', [CompletionResultType]::ParameterName, 'Raw output: keep a container prefix (api-1  | ) in front of JSON records')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'logq;stats' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'This level and above (warn keeps warning, error, critical); =LEVEL for exactly one')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'This level and above (warn keeps warning, error, critical); =LEVEL for exactly one')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Module glob (src.api.*), repeatable = OR; !GLOB excludes')
            [CompletionResult]::new('--module', '--module', [CompletionResultType]::ParameterName, 'Module glob (src.api.*), repeatable = OR; !GLOB excludes')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Any correlation field equals ID (repeatable = OR)')
            [CompletionResult]::new('--cid', '--cid', [CompletionResultType]::ParameterName, 'Any correlation field equals ID (repeatable = OR)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Records at or after T (RFC3339, YYYY-MM-DD[ HH:MM[:SS]], today, yesterday, -15m, 2h)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Records before T (same forms as --since)')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Regex on the message')
            [CompletionResult]::new('--grep', '--grep', [CompletionResultType]::ParameterName, 'Regex on the message')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Category (the category field, else the first folder), repeatable = OR')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Field query: ''duration_ms > 1000 or status = "failed"''')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Field query: ''duration_ms > 1000 or status = "failed"''')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'jq select filter, pasted from a jq pipeline: ''select(.level=="error")''')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Which files a directory yields (repeatable; !GLOB excludes)')
            [CompletionResult]::new('--field-map', '--field-map', [CompletionResultType]::ParameterName, 'Use NAME as a field for ROLE (level=severity, cid=ctx.req)')
            [CompletionResult]::new('--input-tz', '--input-tz', [CompletionResultType]::ParameterName, 'Zone of record times written without one: an IANA name (Europe/Berlin), local or UTC (default: local for Python text, loguru and asctime, UTC for other JSON)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Number of threads, at most 256 (default: all cores)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Number of threads, at most 256 (default: all cores)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Skip (and report) lines longer than this: bytes, or with K, M or G (default: 64M)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Bytes per parallel chunk (testing knob)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: pretty on a terminal, raw when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: pretty on a terminal, raw when piped)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colours')
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'Show only these fields in pretty output (comma-separated)')
            [CompletionResult]::new('--hide', '--hide', [CompletionResultType]::ParameterName, 'Hide these fields in pretty output (comma-separated, repeatable)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'strftime pattern for times in pretty output')
            [CompletionResult]::new('--pager', '--pager', [CompletionResultType]::ParameterName, 'When to page output to a terminal: through $LOGQ_PAGER, else $PAGER, else less -RFX')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Count per value of FIELD (a role or a dotted path); repeatable')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Summarize a numeric field: count, min, mean, p50, p90, p99, max')
            [CompletionResult]::new('--every', '--every', [CompletionResultType]::ParameterName, 'Per time bucket (5m, 1h…), drawn as a bar chart; without a value, a round width giving about 40 rows')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Show the N largest groups, the rest summed as "other"')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Treat --grep as a literal string')
            [CompletionResult]::new('--fixed-strings', '--fixed-strings', [CompletionResultType]::ParameterName, 'Treat --grep as a literal string')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Make --grep ignore case')
            [CompletionResult]::new('--ignore-case', '--ignore-case', [CompletionResultType]::ParameterName, 'Make --grep ignore case')
            [CompletionResult]::new('--grep-line', '--grep-line', [CompletionResultType]::ParameterName, 'Make --grep search the whole raw line, not only the message')
            [CompletionResult]::new('--show-invalid', '--show-invalid', [CompletionResultType]::ParameterName, 'Print unparsed lines too')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Search files with NUL bytes too (default: skip them as binary at the first NUL)')
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'Search files with NUL bytes too (default: skip them as binary at the first NUL)')
            [CompletionResult]::new('--no-fast-paths', '--no-fast-paths', [CompletionResultType]::ParameterName, 'Turn off the fast paths (prefilter, time seek, mmap); for checking them')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show times in the local time zone (also: read dates in filters as local)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC (the default)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Never page (--pager never)')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page (--pager never)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Show the file of each record in pretty output (default: with several files)')
            [CompletionResult]::new('--no-source', '--no-source', [CompletionResultType]::ParameterName, 'Never show the file of each record in pretty output')
            [CompletionResult]::new('--keep-prefix', '--keep-prefix', [CompletionResultType]::ParameterName, 'Raw output: keep a container prefix (api-1  | ) in front of JSON records')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON document for scripts')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'logq;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'logq;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write logq.1 and one page per subcommand into this directory')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'logq;help' {
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search records, in time order across all inputs (the default)')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Show the last records, and keep following with -f')
            [CompletionResult]::new('trace', 'trace', [CompletionResultType]::ParameterValue, 'Show every record of one request, across services, as a timeline')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Count records by level or field, summarize numbers, draw histograms')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (or write all pages into a directory)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'logq;help;search' {
            break
        }
        'logq;help;tail' {
            break
        }
        'logq;help;trace' {
            break
        }
        'logq;help;stats' {
            break
        }
        'logq;help;completions' {
            break
        }
        'logq;help;man' {
            break
        }
        'logq;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
