#!/usr/bin/env python3
"""Writes an SMS Backup & Restore export (sms-*.xml) of a given size, for memory benchmarks.

The shape follows the app's real output (v10.x): an XML declaration, the app's comment,
<smses count=...>, <sms .../> elements with every attribute the app writes, and <mms>
elements with <parts> (SMIL, text/plain, image/jpeg with base64 data) and <addrs>.
Texts are invented Swedish care messages; images are small real JPEG headers followed
by random bytes, sized so that the file reaches the requested size.

With --jpeg FILE every MMS carries that (real) photo instead, and the number of MMS
follows from the size.

usage: make_sms_export.py OUT.xml [--messages 30000] [--megabytes 183] [--mms-share 0.05]
                          [--jpeg FILE]
"""
import argparse
import base64
import random

TEXTS = [
    "Hej! Kan du ta kvällsbesöket hos Elsa idag?",
    "Medicinlistan är uppdaterad, se pärmen i hallen.",
    "Ring mig när du är klar hos Nils, vi behöver prata om nyckeln.",
    "Såret ser bättre ut idag &amp; hon har ätit bra.",
    "Ok tack! Jag tar det.",
    "Kommer 10 min sent, bussen står still.",
]
JPEG_HEAD = bytes.fromhex("ffd8ffe000104a46494600010100000100010000")


def sms(rng, i, date):
    body = rng.choice(TEXTS)
    return (
        f'  <sms protocol="0" address="+4670{rng.randrange(10**7):07d}" date="{date}" '
        f'type="{rng.choice((1, 2))}" subject="null" body="{body}" toa="null" sc_toa="null" '
        f'service_center="null" read="1" status="-1" locked="0" date_sent="{date - 5000}" '
        f'sub_id="1" readable_date="20 nov. 2026 15:02:{i % 60:02d}" contact_name="(Unknown)" />\n'
    )


def mms(rng, date, image_bytes, jpeg=None):
    data = base64.b64encode(jpeg if jpeg is not None else
                            JPEG_HEAD + rng.randbytes(max(0, image_bytes - len(JPEG_HEAD))))
    return (
        f'  <mms date="{date}" rr="null" sub="null" ct_t="application/vnd.wap.multipart.related" '
        f'read_status="null" seen="1" msg_box="1" address="+4670{rng.randrange(10**7):07d}" '
        f'sub_cs="null" resp_st="null" retr_st="null" d_tm="null" text_only="0" exp="null" '
        f'locked="0" m_id="null" st="null" retr_txt_cs="null" retr_txt="null" creator="null" '
        f'date_sent="0" read="1" m_size="{image_bytes}" rpt_a="null" ct_cls="null" pri="null" '
        f'sub_id="1" tr_id="null" resp_txt="null" ct_l="null" m_cls="personal" d_rpt="129" '
        f'v="18" _id="1" m_type="132" readable_date="20 nov. 2026 15:04:00" '
        f'contact_name="(Unknown)">\n'
        f'    <parts>\n'
        f'      <part seq="-1" ct="application/smil" name="null" chset="null" cd="null" fn="null" '
        f'cid="&lt;smil&gt;" cl="smil.xml" ctt_s="null" ctt_t="null" text="&lt;smil&gt;&lt;/smil&gt;" />\n'
        f'      <part seq="0" ct="text/plain" name="null" chset="106" cd="null" fn="null" '
        f'cid="&lt;text_0&gt;" cl="text_0.txt" ctt_s="null" ctt_t="null" text="{rng.choice(TEXTS)}" />\n'
        f'      <part seq="0" ct="image/jpeg" name="IMG_1.jpg" chset="null" cd="null" fn="null" '
        f'cid="&lt;IMG_1&gt;" cl="IMG_1.jpg" ctt_s="null" ctt_t="null" text="null" data="{data.decode()}" />\n'
        f'    </parts>\n'
        f'    <addrs>\n'
        f'      <addr address="+46709876543" type="137" charset="106" />\n'
        f'    </addrs>\n'
        f'  </mms>\n'
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--messages", type=int, default=30000)
    parser.add_argument("--megabytes", type=float, default=183)
    parser.add_argument("--mms-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--jpeg", default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    jpeg = open(args.jpeg, "rb").read() if args.jpeg else None
    count_mms = int(args.messages * args.mms_share)
    if jpeg is not None:
        count_mms = int((args.megabytes * 1e6 - 560 * args.messages) / (len(jpeg) * 4 / 3 + 2600))
    count_sms = args.messages - count_mms
    sms_bytes = 560 * count_sms
    image_bytes = max(1000, int((args.megabytes * 1e6 - sms_bytes) / max(1, count_mms) * 3 / 4) - 2000)
    mms_at = set(rng.sample(range(args.messages), count_mms))
    date = 1795183320000
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
        out.write("<!--File Created By SMS Backup & Restore v10.20.002 on 20/11/2026 15:02:00-->\n")
        out.write(f'<smses count="{args.messages}" backup_set="0f9d" backup_date="{date}" type="full">\n')
        for i in range(args.messages):
            date += 60000
            out.write(mms(rng, date, image_bytes, jpeg) if i in mms_at else sms(rng, i, date))
        out.write("</smses>\n")


if __name__ == "__main__":
    main()
