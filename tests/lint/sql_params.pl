#!/usr/bin/perl
# sql_params.pl - finds SQL built in C from values known only at run time: a printf-style call whose
# format holds SQL and a conversion (%s, %d, ...), or any text formatted or appended (mue_buf_*,
# strcat...) into a buffer that holds SQL. Values belong in parameters ($1, $2 ...). A legitimate
# case (an identifier quoted by PQescapeIdentifier, a column from a fixed table) is allowed by a
# comment "sql-params: <why it is safe>" on the line of the call or ending just above it; a marker
# above a function's first line allows the whole function. A marker without a reason is itself
# reported. Prints "FILE:LINE: what" per finding. Usage: sql_params.pl FILE.c...  (exit 1: findings)
use strict;
use warnings;

my $KEYWORDS = qr/\b(?:SELECT|INSERT|UPDATE|DELETE|WHERE|FROM|JOIN|VALUES|RETURNING|ORDER BY|GROUP BY|LIMIT|OFFSET|ALTER|CREATE|DROP|GRANT|REVOKE|COPY|TRUNCATE|SET)\b/;
my $CONVERSION = qr/%(?!%)[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|j|z|t|L)?[diouxXeEfFgGaAcsp]/;
# call name => [index of the destination argument, index of the format or appended argument, printf?]
my %CALLS = (
    snprintf => [0, 2, 1], sprintf => [0, 1, 1], vsnprintf => [0, 2, 1], vsprintf => [0, 1, 1],
    asprintf => [0, 1, 1], vasprintf => [0, 1, 1], mue_buf_printf => [0, 1, 1],
    strcat => [0, 1, 0], strncat => [0, 1, 0], strcpy => [0, 1, 0], stpcpy => [0, 1, 0],
    mue_buf_append_str => [0, 1, 0], mue_buf_append => [0, 1, 0],
);
my $MIN_REASON = 12;    # characters of a marker's reason
my $findings = 0;

sub report {
    my ($file, $line, $what) = @_;
    print "$file:$line: $what\n";
    $findings++;
}

# Tokens of C text with their line numbers: strings, characters, identifiers, single characters.
# Comments go (markers are noted on the way), and so do preprocessor lines: a macro body is fixed
# at compile time.
sub tokenize {
    my ($file, $text, $markers) = @_;
    my @tokens;
    my $line = 1;
    my $bol = 1;    # at the beginning of a line, but for blanks
    pos($text) = 0;
    while (pos($text) < length($text)) {
        if ($bol && $text =~ /\G[ \t]*#(?:[^\n\\]|\\.)*/gcs) {
            $line += () = $& =~ /\n/g;
            next;
        }
        if ($text =~ /\G\n/gc) {
            $line++;
            $bol = 1;
            next;
        }
        if ($text =~ /\G[ \t\r\f\v]+/gc) {
            next;
        }
        $bol = 0;
        if ($text =~ /\G(\/\*.*?\*\/|\/\/[^\n]*)/gcs) {
            my $c = $1;
            my $end = $line + (() = $c =~ /\n/g);
            if ($c =~ /sql-params:\s*(.*?)\s*(?:\*\/)?\s*$/s) {
                my $reason = $1;
                $reason =~ s/\s*\*\s*/ /g;
                if (length($reason) < $MIN_REASON) {
                    report($file, $line, "sql-params marker without a reason (say why the SQL is safe)");
                } else {
                    $markers->{$line} = 1;
                    $markers->{$end} = 1;
                    $markers->{$end + 1} = 1;
                }
            }
            $line = $end;
            next;
        }
        if ($text =~ /\G"((?:[^"\\\n]|\\.)*)"/gc) {
            push @tokens, ['str', $1, $line];
        } elsif ($text =~ /\G'(?:[^'\\\n]|\\.)*'/gc) {
            push @tokens, ['chr', $&, $line];
        } elsif ($text =~ /\G[A-Za-z_][A-Za-z0-9_]*/gc) {
            push @tokens, ['id', $&, $line];
        } elsif ($text =~ /\G(?:->|\d[\w.]*)/gc) {
            push @tokens, ['op', $&, $line];
        } else {
            $text =~ /\G./gcs;
            push @tokens, ['op', $&, $line];
        }
    }
    return @tokens;
}

# The arguments of the call whose '(' is tokens[i]: lists of tokens, and the index after ')'.
sub arguments {
    my ($t, $i) = @_;
    my (@args, @cur);
    my $depth = 0;
    for ($i++; $i < @$t; $i++) {
        my $v = $t->[$i][1];
        if ($t->[$i][0] eq 'op' && ($v eq '(' || $v eq '[' || $v eq '{')) {
            $depth++;
        } elsif ($t->[$i][0] eq 'op' && ($v eq ')' || $v eq ']' || $v eq '}')) {
            if ($depth == 0) {
                push @args, [@cur];
                return (\@args, $i + 1);
            }
            $depth--;
        } elsif ($t->[$i][0] eq 'op' && $v eq ',' && $depth == 0) {
            push @args, [@cur];
            @cur = ();
            next;
        }
        push @cur, $t->[$i];
    }
    return (\@args, $i);
}

# The text of an argument's string literals (macros in between shown as <NAME>).
sub literal_text {
    my ($arg) = @_;
    return join('', map { $_->[0] eq 'str' ? $_->[1] : $_->[0] eq 'id' ? "<$_->[1]>" : '' } @$arg);
}

# True when an argument is fixed at compile time: string literals, and macros in capitals whose own
# arguments are such (ISO("r.hour"), REQ_SQL_TS("x")).
sub is_constant {
    my ($arg) = @_;
    my $seen = 0;
    for my $tok (@$arg) {
        if ($tok->[0] eq 'str') {
            $seen = 1;
        } elsif ($tok->[0] eq 'id' && $tok->[1] =~ /^[A-Z][A-Z0-9_]*$/) {
            $seen = 1;
        } elsif (!($tok->[0] eq 'op' && $tok->[1] =~ /^[(),]$/)) {
            return 0;
        }
    }
    return $seen;
}

sub has_conversion {
    my ($arg) = @_;
    return 1 if literal_text($arg) =~ $CONVERSION;
    return scalar grep { $_->[0] eq 'id' && $_->[1] =~ /^(?:PRI|SCN)[diouxX]/ } @$arg;
}

sub expr { return join('', map { $_->[1] } @{ $_[0] }); }

sub scan {
    my ($file) = @_;
    open(my $fh, '<', $file) or die "sql_params: $file: $!\n";
    local $/;
    my $text = <$fh>;
    close($fh);
    my %markers;
    my @t = tokenize($file, $text, \%markers);

    # Functions: a '{' at depth 0 opens one; its first line (where the name is) may carry a marker
    # that allows the whole function.
    my @calls;
    my ($depth, $fn_start, $fn_allowed, $fn) = (0, 0, 0, 0);
    my $stmt_line = 1;
    for (my $i = 0; $i < @t; $i++) {
        my ($kind, $v, $line) = @{ $t[$i] };
        if ($kind eq 'op' && $v eq '{') {
            if ($depth == 0) {
                $fn++;
                $fn_allowed = $markers{$stmt_line} ? 1 : 0;
            }
            $depth++;
        } elsif ($kind eq 'op' && $v eq '}') {
            $depth-- if $depth > 0;
            $stmt_line = $t[$i + 1][2] if $depth == 0 && $i + 1 < @t;
        } elsif ($kind eq 'op' && $v eq ';' && $depth == 0) {
            $stmt_line = $t[$i + 1][2] if $i + 1 < @t;
        }
        next unless $kind eq 'id' && exists $CALLS{$v} && $i + 1 < @t && $t[$i + 1][1] eq '(';
        next if $i > 0 && ($t[$i - 1][1] eq '.' || $t[$i - 1][1] eq '->');
        my ($args) = arguments(\@t, $i + 1);
        push @calls, { name => $v, line => $line, args => $args, fn => $depth > 0 ? $fn : 0,
                       allowed => ($depth > 0 && $fn_allowed) || $markers{$line} };
    }

    # A buffer holds SQL when SQL text is written into it anywhere in its function, or its name
    # says so (sql, query).
    my %sql_buffer;
    for my $c (@calls) {
        my ($dst, $src) = @{ $CALLS{ $c->{name} } };
        next unless $c->{args}[$dst] && $c->{args}[$src];
        my $b = expr($c->{args}[$dst]);
        $b =~ s/^&//;
        $c->{buffer} = $b;
        $sql_buffer{"$c->{fn}\0$b"} = 1 if literal_text($c->{args}[$src]) =~ $KEYWORDS;
    }
    for my $c (@calls) {
        my ($dst, $src, $printf) = @{ $CALLS{ $c->{name} } };
        next unless defined $c->{buffer};
        my $arg = $c->{args}[$src];
        my $into_sql = $sql_buffer{"$c->{fn}\0$c->{buffer}"} || $c->{buffer} =~ /(?:^|[^a-z])(?:sql|query)(?:$|[^a-z])/i;
        my $what;
        if ($printf && has_conversion($arg) && (literal_text($arg) =~ $KEYWORDS || $into_sql)) {
            $what = "SQL formatted with a value by $c->{name}";
        } elsif ($printf && !is_constant($arg) && $into_sql) {
            $what = "SQL formatted by $c->{name} from a format that is not a literal";
        } elsif (!$printf && $into_sql && !is_constant($arg)) {
            $what = "a value appended to SQL by $c->{name}";
        }
        next unless $what;
        next if $c->{allowed};
        report($file, $c->{line}, "$what (use a parameter, or say why it is safe: sql-params: ...)");
    }
}

scan($_) for @ARGV;
exit($findings ? 1 : 0);
