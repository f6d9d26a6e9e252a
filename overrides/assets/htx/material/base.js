// Material 9.8's partials/javascripts/base.html (MIT), moved out of the page for the Content-Security-Policy:
// the scope comes from the tag's data-base (base_url, relative to the page) instead of being written inline.
// Also: JavaScript runs, so show what needs it (the search) at once, without waiting for Material's bundle.
document.documentElement.classList.replace("no-js", "js");
__md_scope=new URL(document.currentScript.getAttribute("data-base"),location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
