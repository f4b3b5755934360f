"""Which sources of the rates, taxability and presence tables are primary, for the data tests.

A rate, a taxability or a presence verdict rests on its first source (``sources[0]``: the revenue department or the
statute first, secondary sources after). A row may say ``confidence: official`` only where that source is primary; a row
whose first source is a think tank, a blog, a course, a vendor, a firm's newsletter or the news, or whose
every source is, must say it is not verified (``secondary``, ``conflict`` or ``unknown``): the estimate then
says so. Every host cited is in one of the three lists below, so that a new one is classified when it is
added rather than passed over.
"""
from __future__ import annotations

from urllib.parse import urlparse

#: Revenue departments, legislatures, official law portals, gazettes, public commissions and treaty bodies (the OECD).
PRIMARY = frozenset("""
    arsstc.org ato.gov.au bcn.cl canada.ca cdtfa.ca.gov colorado.gov comptroller.texas.gov dor.sd.gov dor.wa.gov
    ec.europa.eu elaw.klri.re.kr estv.admin.ch eur-lex.europa.eu github.com/DCCouncil gov.uk hmrc.gov.uk
    iras.gov.sg ird.govt.nz laws-lois.justice.gc.ca legislation.gov.uk legislation.govt.nz lois-laws.justice.gc.ca
    marylandcomptroller.gov mass.gov michigan.gov mof.go.jp mylpsd.com ncdor.gov nta.go.jp otr.cfo.dc.gov pa.gov
    portal.ct.gov revenue.ie revenue.iowa.gov revenue.louisiana.gov revenue.support.tn.gov revenue.wi.gov
    revenuquebec.ca sars.gov.za skatteetaten.no state.in.us state.nj.us tax.illinois.gov tax.ny.gov tax.ohio.gov
    taxes.marylandtaxes.com toll.no vero.fi nysenate.gov pacode.com revisor.mn.gov
    flsenate.gov witnessslips.ilga.gov
    gate.estv.admin.ch efk.admin.ch sede.agenciatributaria.gob.es
    tax.nv.gov leg.state.nv.us
    laws.e-gov.go.jp
    capitol.texas.gov nj.gov ilga.gov www2.illinois.gov revenue.pa.gov tax.virginia.gov in.gov
    cra-arc.gc.ca laws.justice.gc.ca gazette.gc.ca
    taxtechnical.ird.govt.nz ezv.admin.ch classic.ird.govt.nz taxpolicy.ird.govt.nz
    capitol.hawaii.gov rvpolicy.kdor.ks.gov tax.idaho.gov iowa.gov dor.ms.gov webserver.rilin.state.ri.us
    tax.nd.gov commerce.alaska.gov sos.oregon.gov statutes.capitol.texas.gov pacodeandbulletin.gov
    revenue.state.il.us dor.state.nc.us
    revisedacts.lawreform.ie normattiva.it info.portaldasfinancas.gov.pt www4.skatteverket.se
    leg.state.vt.us tax.vermont.gov revenue.la.gov revenue.delaware.gov oregon.gov revenue.state.mn.us ncga.state.nc.us
    mainelegislature.org revenue.nebraska.gov tax.newmexico.gov legislature.idaho.gov
    app.leg.wa.gov boe.ca.gov legis.iowa.gov tax.iowa.gov
    ao.bundesfinanzministerium.de sdlegislature.gov
    bofip-archives.impots.gouv.fr ris.bka.gv.at info.skat.dk skat.dk
    bofip.impots.gouv.fr
    malegislature.gov
    dgsi.pt
    chat.anaf.ro podpora.financnasprava.sk
    porezna-uprava.hr
    mtc.gov revenue.alabama.gov dfa.arkansas.gov azdor.gov floridarevenue.com dor.myflorida.com dor.georgia.gov ai.org
    revenue.ky.gov www1.maine.gov sctax.org tax.utah.gov state.vt.us files.hawaii.gov
    vmi.lt legis.la.gov
    mof.gov.cy
    financnasprava.sk
    boe.es
    oecd.org
    dor.mo.gov business.mo.gov
    code.wvlegislature.gov wvlegislature.gov dornc.com
    legisquebec.gouv.qc.ca
    mof.gov.ae ssl-dfa-site.ark.org finlex.fi
    le.utah.gov nebraskalegislature.gov
    codes.ohio.gov
    code.dccouncil.gov scstatehouse.gov
    webserver.rilegislature.gov rules.sos.ri.gov
    github.com/justicecanada lois.justice.gc.ca
    sii.cl
    taxanswers.ky.gov
    uaelegislation.gov.ae
    legis.state.pa.us
    finanzamt-bw.fv-bwl.de
    development.code.dccouncil.us leg.colorado.gov legislature.maine.gov ncleg.gov state.tn.us tax.ri.gov
    streamlinedsalestax.org cga.ct.gov
    opengov.gr gesetze-im-internet.de smallbusiness.taxsuperandyou.gov.au
    irishstatutebook.ie
    texreg.sos.state.tx.us dsd.maryland.gov
    marylandtaxes.gov maine.gov tax.colorado.gov remotesellers.louisiana.gov ok.gov dor.sc.gov tax.wv.gov
    belastingdienst.nl zoek.officielebekendmakingen.nl
""".split())

#: A statute's or a department's own text, read in a third party's copy (a law library, a document host): the
#: text is primary, and the notes say whose copy was read.
PRIMARY_TEXT_COPIES = frozenset("""
    austlii.edu.au casetext.com datenbank.nwb.de github.com/ledmonster knowyourgst.com lawbrary.ch mylaw.my
    readkong.com regulations.justia.com law.justia.com taxcode.in vlex.com.mx getpocketlaw.com law.onecle.com
    statutes.laws.com d1tvxue8o4w0fl.cloudfront.net webarchive.library.unt.edu criminallawyerjacksonville.com
    syfert.com
    print.casetext.com law.cornell.edu mrsc.org app.legiplex.com instalawyer.io codes.findlaw.com parules.elaws.us
    tr.scribd.com
    docslib.org acts.co.za
    doctrine.fr
    global-regulation.com law.uslawyerdatabase.com web.archive.org legalfix.com
    e.casetext.com
    library.partnertax.ai
    preview-stage.ct.egov.com authoring-stage.ct.egov.com info.5y1.org
    deubner-steuern.de
    laws9.com lawserver.com law.counselstack.com iarules.elaws.us
    gesetze.legal service.betterregulation.com
    vdocuments.net vdoc.pub docstoc.com supreme.justia.com tx.elaws.us newyork.public.law legiscan.com vlex.co.uk app.livv.eu lawlens.in legalauthority.in swisstaxnetwork.ch govdiff.njk.onl
    buzer.de lexetius.com
    legal.tricoteuses.fr inview.nl officeadvice.it jak-zalozit-sro-a-podnikat.cz sip.lex.pl self-law.org statutes.laws-info.com
    ro.wolterskluwer.ro scribd.com
    taxpress.gr
    staging.egov.bg dokumentacia.com
    nvrules.elaws.us wirules.elaws.us htkacademy.com
    github.com/eliask infolex.lt buhgalter.eu studfile.net
    cylaw.org bethel.municipal.codes
    elov.dk kurzy.cz podnikatel.cz
    dlajurysty.pl
    paragraphen.online
    2009-2017.state.gov case-law.vlex.com floridasalestax.com 1library.net
    ok.elaws.us oklegal.onenet.net
    juta.co.za
    consultantavocat.ro
    app.midpage.ai
    jurris.com varules.elaws.us
    lexace.ai
    github.com/UniCourt keepinglawsimple.org
    racunovodstvo.net
    profession-net.com
    k-mos.com
    es.scribd.com taxrealtime.in app.reallaw.ai
    github.com/ingteranalvarez
    nevada.public.law fastdemocracy.com
    lawgram.cc databaseconsulting.mx cadefi.mx gesetze.ch github.com/juliangossen openparliament.ca
    aurifertax.com gccfintax.com source.acts.co.za
    iuris.jp alert.tistory.com
    zeihoudash.com leaders-online.jp github.com/legalize-kr lawnb.com
    github.com/9bow front.taxnet.co.kr
    github.com/bundestag
""".split())

#: Think tanks and their data, course material, open datasets, vendors, accounting and law firms, trade
#: associations, blogs and the news: never enough alone for ``official``.
SECONDARY = frozenset("""
    taxfoundation.org github.com/TaxFoundation github.com/sta199-f26 github.com/sta199-s26 github.com/kdeldycke
    github.com/ibericode flip.usim.edu.my
    avalara.com blog.taxjar.com taxjar.com cloud-dev.avlr.net taxrates.com salestaxinstitute.com salestaxhandbook.com
    help.doola.com support.pagero.com sovos.com paddle.com trykintsugi.com vatcalc.com vatupdate.com easytax.co
    myob-accounting.com.my wpqa.orbitax.com uslegalforms.com legalclarity.org taxopolis.eu taxinterpretations.com
    ace-volve.com achenhenderson.ca allabouttax.ca ansonbaer.com aprio.com arfajlaw.com bdo.global global-acc.bdo.global
    bharattax.co brownplus.com cbiz.com cliffedekkerhofmeyr.com clydeco.com companyforbusiness.ee crowe.com
    dedecon.cl demersbeaulne.com ecovis.com ey.com taxnews.ey.com fontaineycia.cl fqba.org gcctaxlaws.com
    grant-thornton.ch heinekamp-und-zielke.de hogbergtax.com kpmg.com kpmg-institutes.com lexology.com loftonsc.com
    mossadams.com mwstnetzwerk.com nationalguild.ie charteredaccountants.ie probitas.jp psbboisjoli.ca pwc.com
    randrcpa.com redw.com regfollower.com ritch.com.mx sauress.com skrine.com swb.com.mx taxlawblog.ch
    texastaxlaw.com thiangco.com.my tpeigenmann.ch tuokko.ee ustaxdisputes.com vatconsulting.ch venable.com
    verificaretva.ro withum.com witreva.ch haufe.de tax.thomsonreuters.com lra.org financenewmexico.org
    bihornews.ro bizneworleans.com business-standard.com channelnewsasia.com chronicle.lu dayakdaily.com
    electricalindustry.ca krqe.com t13.cl transmedia.cl
    360.lexisnexis.at dauc.cz home.kpmg deloitte.com dvp-law.com burza.com.hr lloydharrisoncooper.gr libertadalgeciras.blogspot.com tributolocal.es
    claruspartners.com simplyvat.com amavat.eu help.prodigi.com lexbase.fr brexitlegalguide.co.uk bnwaccountants.co.uk
    bna.com report.saltcpa.com cloud-prod.avlr.net mondaq.com ibfd.org andrewmitchel.com barryspitz.com stevetowers.tax
    offshorenewsflash.com novio.tax ecomaccountants.uk offshorecorptalk.com blog.pwc-tls.it grantthornton.nl
    eulawlive.com pinsentmasons.com rossmartin.co.uk whiteroseaccountants.com ecommerceaccountants.co.uk lex.ahk.es
    vat-germany.com japancompliance.com ecommercetimes.com
    tomovi.org
    rajarora.ca cba.org blg.com commenda.io pepersoftware.com kulzerdipadova.com alston.com nardonelimited.com
    texassaletax.com salestaxhelper.com taxsolutionslawyer.com
    abkl.ee
    sr-revision.dk
    inforlex.pl balans.bg nonprofit.hu
    tennesseebusinesslawblog.blogspot.com
    reedsmith.com zeiken.co.jp tkc.jp jpbm.or.jp indiacorplaw.in
    thesaltgroup.com taxingtech.com cookingwithsaltlaw.com digitalpolicyalert.org msdtaxlaw.com rsmus.com
    webberwentzel.com
    law-journals-books.vlex.com
    meislik.com
    burr.com
    salestaxsupport.com iskalniksodneprakse.si
    ecg.co.jp kaetsu.repo.nii.ac.jp t-r.ch
    sataxguide.co.za fincor.co.za
    diarioconstitucional.cl
    sdv.com.mx taxguru.in taxindiaonline.com financekibaatein.com legaladviceme.com dariba.co
    mondaq.co.uk
    avz.com cacities.org dhub.blob.core.windows.net grantthornton.com hodgsonruss.com honkamp.com jdsupra.com
    medowscpa.com mjsalestax.com news.cchgroup.com ram.memberclicks.net stateandlocaltax.com support.taxjar.com
    taxconnex.com thebrennangroup.com ttrus.com vatcompliance.co zhftaxlaw.com zip2tax.com
    taxandtradelaw.com etl-wirtschaftspruefung.de opentoexport.com grantthornton.jp
    news.bloomberglaw.com
    jpchatelainavocat.fr efl.fr vivaldi-chronos.com
    eyesonecomlaw.blogspot.com taxhistory.org accountantadvocate.com
    suttax.avior.tax handsoffsalestax.com ifindtaxpro.com accountinginsights.org andersonjahde.com somersetcpas.com kahnlitwin.com thetaxvalet.com taxcloud.com cherrybekaertsalestax.com hwco.cpa satiracpas.com
    cpo.soar.com
    mbo-verlag.com a-ha.io notturnoworld.com
    skattsei.co.jp mirailaw.jp cyber3.kicpa.or.kr intax.co.kr sootax.co.kr
""".split())

UNVERIFIED = ("secondary", "conflict", "unknown")


def host(url: str) -> str:
    """The site a URL is on, as the lists name it: without ``www.``; on GitHub, with the repository's owner."""
    parts = urlparse(url)
    name = parts.netloc.lower().removeprefix("www.")
    if name == "github.com":
        name += "/" + parts.path.split("/")[1]
    return name


def kind(url: str) -> str:
    """``primary``, ``copy`` (primary text in a third party's copy), ``secondary`` or ``unclassified``."""
    name = host(url)
    for found, hosts in (("primary", PRIMARY), ("copy", PRIMARY_TEXT_COPIES), ("secondary", SECONDARY)):
        if name in hosts:
            return found
    return "unclassified"


def unmarked(rows: list[dict], table: str) -> list[str]:
    """Rows resting on a secondary source without saying so, and hosts no list classifies."""
    problems = []
    for i, row in enumerate(rows):
        what = row.get("category", row.get("kind"))  # a presence rule has a kind of item, not a category
        where = f"{table}: row {i} ({row['jurisdiction']} {what} from {row['effective_from']})"
        kinds = [kind(s) for s in row["sources"]]
        problems += [f"{where}: {host(s)} is in no list of tests/data_sources.py"
                     for s, k in zip(row["sources"], kinds) if k == "unclassified"]
        if row["confidence"] not in UNVERIFIED and (kinds[0] == "secondary" or set(kinds) == {"secondary"}):
            problems.append(f"{where}: rests on {host(row['sources'][0])}, a secondary source, but says "
                            f"{row['confidence']!r}: find the revenue department's page or the statute, or say "
                            f"'secondary'")
    return problems
