# lib-triage.sh - a store with staff, roles and the 2026 calendar for the
# triage, assign and extend tests (t1001..t1003); source it after lib.sh.

# A store with staff and roles (DESIGN 5) and the 2026 calendar.
write_config () {
	cat >"$1/docket.yaml" <<-\EOF
	docket: 1
	organization: 某县农业局
	timezone: Asia/Shanghai
	channels:
	  - {id: visit, label: 来访}
	  - {id: phone, label: 来电}
	  - {id: letter, label: 来信}
	priorities:
	  - {id: urgent, label: 紧急}
	  - {id: normal, label: 一般}
	default_priority: normal
	departments:
	  - {id: office, label: 局办公室, head: chen.jing, members: [chen.jing]}
	  - {id: soil-station, label: 土肥站, head: zhao.lei, members: [zhao.lei, sun.li]}
	  - {id: enforcement, label: 执法大队, head: qian.hao, members: [qian.hao]}
	categories:
	  - id: fertilizer
	    label: 肥料
	    department: soil-station
	    keywords: [化肥, 肥料, 复合肥]
	    children:
	      - {id: fake, label: 假冒伪劣, department: enforcement, keywords: [假冒, 伪劣]}
	  - id: seeds
	    label: 种子
	    department: soil-station
	    keywords: [种子, 发芽]
	staff:
	  - {id: zhang.wei, name: 张伟, email: zhang.wei@example.org, roles: [intake]}
	  - {id: chen.jing, name: 陈静, email: chen.jing@example.org, roles: [intake, triage, supervisor]}
	  - {id: li.na, name: 李娜, email: li.na@example.org, roles: [triage]}
	  - {id: liu.yang, name: 刘洋, email: liu.yang@example.org, roles: [supervisor]}
	  - {id: zhao.lei, name: 赵磊, email: zhao.lei@example.org, roles: [handler]}
	  - {id: sun.li, name: 孙丽, email: sun.li@example.org, roles: [handler]}
	  - {id: qian.hao, name: 钱浩, email: qian.hao@example.org, roles: [handler]}
	reject_reasons:
	  - {id: out-of-scope, label: 不属于本机关职权范围}
	  - {id: time-barred, label: 超过时效}
	  - {id: no-contact, label: 匿名且无法联系}
	  - {id: duplicate, label: 重复投诉}
	limits:
	  look_back: 2y
	deadlines:
	  ack: 1wd
	  feedback: 3wd
	  resolve: 15wd
	  rules:
	    - when: {priority: urgent}
	      resolve: 3wd
	calendar:
	  workdays: [mon, tue, wed, thu, fri]
	  holidays: [2026-01-01..2026-01-03, 2026-02-15..2026-02-23, 2026-04-04..2026-04-06,
	             2026-05-01..2026-05-05, 2026-06-19..2026-06-21, 2026-09-25..2026-09-27,
	             2026-10-01..2026-10-07]
	  extra_workdays: [2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10]
	EOF
	git -C "$1" add docket.yaml &&
	git -C "$1" commit -q -m "docket.yaml: staff and roles"
}

# The Action trailer of the last commit.
last_action () {
	git -C s log -1 --format=%B >"$TRASH_DIRECTORY/.msg" &&
	sed -n 's/^Action: //p' "$TRASH_DIRECTORY/.msg"
}
