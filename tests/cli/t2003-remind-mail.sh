#!/bin/sh
test_description='docket remind --mail: real mail through msmtp to a local SMTP server'
. "$(dirname "$0")/lib.sh"

# docket hands each message to Debian's msmtp (as the sendmail program,
# started without a shell), which delivers it over SMTP to a server this
# script runs on 127.0.0.1 (python3-aiosmtpd).  The server keeps every
# message it accepts as smtp/NNN.eml with its envelope in NNN.env; it
# refuses the recipients listed in smtp/reject (550) and everything while
# smtp/down exists (451), as a real server does.

# `make check` installs msmtp and python3-aiosmtpd (tests/install-deps.sh
# test); a test never installs anything itself.
test_expect_success 'msmtp and python3-aiosmtpd are there (make check installs them)' '
	command -v msmtp &&
	/usr/bin/python3 -c "import aiosmtpd"
'
test_set_prereq REALMAIL

cat >smtpd.py <<\EOF
import os, socket, sys, time
from aiosmtpd.controller import Controller

spool = sys.argv[1]

def flag(name):
    return os.path.exists(os.path.join(spool, name))

class Keeper:
    count = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if flag("down"):
            return "451 4.3.0 mail system down, try again later"
        reject = os.path.join(spool, "reject")
        if flag("reject") and address in open(reject).read().split():
            return "550 5.1.1 <%s>: no such mailbox" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        Keeper.count += 1
        base = os.path.join(spool, "%03d" % Keeper.count)
        with open(base + ".env.tmp", "w") as f:
            f.write("from %s\n" % envelope.mail_from)
            for rcpt in envelope.rcpt_tos:
                f.write("to %s\n" % rcpt)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.content)
        os.rename(base + ".env.tmp", base + ".env")
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 kept"

s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
controller = Controller(Keeper(), hostname="127.0.0.1", port=port)
controller.start()
with open(os.path.join(spool, "port.tmp"), "w") as f:
    f.write("%d\n" % port)
os.rename(os.path.join(spool, "port.tmp"), os.path.join(spool, "port"))
try:
    while True:
        time.sleep(3600)
finally:
    controller.stop()
EOF

smtpd_pid=
if test_have_prereq REALMAIL; then
	mkdir smtp
	/usr/bin/python3 smtpd.py "$TRASH_DIRECTORY/smtp" >smtpd.log 2>&1 &
	smtpd_pid=$!
	trap 'kill $smtpd_pid 2>/dev/null' EXIT
	i=0
	while [ ! -s smtp/port ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ -s smtp/port ]; then
		# msmtp reads ~/.msmtprc: this server, no TLS, no auth.
		cat >"$HOME/.msmtprc" <<-EOF
		defaults
		auth off
		tls off
		logfile $TRASH_DIRECTORY/msmtp.log
		account local
		host 127.0.0.1
		port $(cat smtp/port)
		from docket@example.org
		account default : local
		EOF
		chmod 600 "$HOME/.msmtprc"
	else
		say "# the SMTP server did not start:"
		sed 's/^/# /' smtpd.log
		test_prereqs_=' '
	fi
fi

# remind TIME: the morning run in store s by chen.jing; stdout in out,
# stderr in err, the exit status in code.
remind () {
	remind_code_=0
	(cd s && DOCKET_USER=chen.jing DOCKET_NOW=$1 docket remind --mail) \
		>out 2>err || remind_code_=$?
	echo $remind_code_ >code
}

# delivered: one line per message the server kept since the last call,
# "RCPT | decoded subject | reminders listed", and the messages decoded
# in delivered.txt.
delivered () {
	for env in smtp/*.env; do
		[ -e "$env" ] || continue
		[ -e "$env.seen" ] && continue
		eml=${env%.env}.eml
		rcpt=$(sed -n "s/^to //p" "$env" | tr "\n" " ")
		mail-summary "$eml" >>delivered.txt || return 1
		subject=$(mail-summary "$eml" | sed -n "s/^Subject: //p")
		lines=$(mail-summary --lines "$eml" | cut -d" " -f3- |
			tr "\n" ";")
		echo "${rcpt% } | $subject | $lines"
		touch "$env.seen"
	done
}

PATH=$TEST_DATA:$PATH
export PATH

test_expect_success REALMAIL 'setup: a store that mails through msmtp' '
	docket_init_store s &&
	sed "s|^  sendmail: .*|  sendmail: $(command -v msmtp) -t -oi|" \
		"$TEST_DATA/remind-docket.yaml" >s/docket.yaml &&
	git -C s commit -q -m "mail through msmtp" docket.yaml &&
	(cd s &&
	 export DOCKET_NOW=2026-09-28T09:00:00+08:00 &&
	 DOCKET_USER=zhang.wei docket file --channel phone --name 李某 \
		--phone 13800000001 --email li@example.com \
		--subject 化肥结块严重 >/dev/null &&
	 DOCKET_USER=zhang.wei docket file --channel phone --name 王某 \
		--phone 13800000002 --subject 复合肥质量差 >/dev/null &&
	 DOCKET_USER=chen.jing docket triage 2026-000002 --accept \
		--category fertilizer 2>/dev/null &&
	 DOCKET_USER=chen.jing docket assign 2026-000002 --to sun.li) &&
	assert_clean s
'

test_expect_success REALMAIL 'each recipient gets one message over SMTP' '
	remind 2026-10-10T07:30:00+08:00 &&
	test "$(cat code)" = 0 &&
	test_must_be_empty err &&
	delivered >actual &&
	cat >expect <<-\EOF &&
	chen.jing@example.org | docket: 1 case needs attention (某县农业局) | 2026-000001 ack 2;2026-000001 feedback 1;
	liu.yang@example.org | docket: 1 case needs attention (某县农业局) | 2026-000001 ack 2;
	sun.li@example.org | docket: 1 case needs attention (某县农业局) | 2026-000002 feedback 1;
	EOF
	test_cmp expect actual &&
	grep -h "^from docket@example.org$" smtp/*.env >from &&
	test_line_count = 3 from
'

test_expect_success REALMAIL 'the delivered headers decode with the email package' '
	/usr/bin/python3 - smtp/001.eml >actual <<-\EOF &&
	import sys
	from email import message_from_binary_file
	from email.header import decode_header, make_header
	with open(sys.argv[1], "rb") as f:
	    msg = message_from_binary_file(f)
	for key in ("From", "To", "Subject"):
	    raw = msg[key]
	    assert "=?UTF-8?B?" in raw, raw
	    print(key, str(make_header(decode_header(raw))))
	print(msg.get_content_type(), msg.get_content_charset(),
	      msg["Content-Transfer-Encoding"])
	EOF
	cat >expect <<-\EOF &&
	From 某县农业局 <docket@example.org>
	To 陈静 <chen.jing@example.org>
	Subject docket: 1 case needs attention (某县农业局)
	text/plain utf-8 8bit
	EOF
	test_cmp expect actual
'

test_expect_success REALMAIL 'the message body lists the cases, never the complainant' '
	grep "^  2026-000001  化肥结块严重  ack       overdue by 4 working days  level 2$" \
		delivered.txt &&
	! grep -e 李某 -e 王某 -e 1380000000 -e li@example.com delivered.txt &&
	! grep -e 1380000000 -e li@example.com smtp/*.eml
'

test_expect_success REALMAIL 'the events name the recipients the mail reached' '
	f=s/$(case_path 2026-000001) &&
	grep "action: remind, deadline: ack, due: \"2026-09-29T23:59:59+08:00\", level: \"2\", to: \[chen.jing, liu.yang\]" $f &&
	assert_clean s
'

test_expect_success REALMAIL 'a recipient the server refuses: exit 1, the others recorded' '
	echo liu.yang@example.org >smtp/reject &&
	git -C s rev-parse HEAD >head-before &&
	remind 2026-10-13T07:30:00+08:00 &&
	test "$(cat code)" = 1 &&
	grep "^docket: remind: mail to .liu.yang. failed: .*msmtp. exited with status [1-9][0-9]*" err &&
	delivered | cut -d" " -f1 >actual &&
	printf "%s\n" chen.jing@example.org sun.li@example.org \
		zhao.lei@example.org >expect &&
	test_cmp expect actual &&
	test "$(git -C s rev-list --count $(cat head-before)..HEAD)" = 1 &&
	! git -C s show HEAD | grep "^+.*to: \[.*liu.yang"
'

test_expect_success REALMAIL 'once the server takes it, the next run sends only what was missed' '
	rm smtp/reject &&
	remind 2026-10-13T08:00:00+08:00 &&
	test "$(cat code)" = 0 &&
	delivered >actual &&
	cat >expect <<-\EOF &&
	liu.yang@example.org | docket: 2 cases need attention (某县农业局) | 2026-000001 ack 2;2026-000001 feedback 2;2026-000002 feedback 2;
	EOF
	test_cmp expect actual &&
	remind 2026-10-13T09:00:00+08:00 &&
	test_must_be_empty out &&
	delivered >actual &&
	test_must_be_empty actual
'

test_expect_success REALMAIL 'mail system down: exit 1, nothing recorded; back up: all sent once' '
	touch smtp/down &&
	store_state s >before &&
	remind 2026-10-15T07:30:00+08:00 &&
	test "$(cat code)" = 1 &&
	grep -c "^docket: remind: mail to .* failed: " err >count &&
	echo 4 >expect &&
	test_cmp expect count &&
	store_state s >after &&
	test_cmp before after &&
	delivered >actual &&
	test_must_be_empty actual &&
	rm smtp/down &&
	remind 2026-10-15T08:00:00+08:00 &&
	test "$(cat code)" = 0 &&
	delivered | cut -d" " -f1 >actual &&
	printf "%s\n" chen.jing@example.org liu.yang@example.org \
		sun.li@example.org zhao.lei@example.org >expect &&
	test_cmp expect actual &&
	assert_clean s
'

if [ -n "$smtpd_pid" ]; then
	kill $smtpd_pid 2>/dev/null
	wait $smtpd_pid 2>/dev/null
fi
test_done
