const fs=require('fs');const f=fs.readdirSync('.').find(x=>x.endsWith('.cpuprofile'));const p=JSON.parse(fs.readFileSync(f));
const self={};const dt=p.timeDeltas;const cnt={};p.samples.forEach((s,i)=>{cnt[s]=(cnt[s]||0)+(dt[i]||0)});
// inclusive time for probe.js frames
const byId={};p.nodes.forEach(n=>byId[n.id]=n);const parent={};p.nodes.forEach(n=>(n.children||[]).forEach(c=>parent[c]=n.id));
const incl={};
for(const n of p.nodes){const t=cnt[n.id]||0;if(!t)continue;const seen=new Set();let id=n.id;while(id!==undefined){const m=byId[id];const k=m.callFrame.functionName+' '+m.callFrame.url.split('/').pop()+':'+m.callFrame.lineNumber;if(!seen.has(k)){incl[k]=(incl[k]||0)+t;seen.add(k)}id=parent[id]}}
for(const n of p.nodes){const k=n.callFrame.functionName+' '+(n.callFrame.url.split('/').pop())+':'+n.callFrame.lineNumber;self[k]=(self[k]||0)+(cnt[n.id]||0)}
const tot=Object.values(self).reduce((a,b)=>a+b,0);
console.log('SELF');Object.entries(self).sort((a,b)=>b[1]-a[1]).slice(0,18).forEach(([k,v])=>console.log((v/1000).toFixed(1).padStart(8),(100*v/tot).toFixed(1).padStart(5)+'%',k));
console.log('INCLUSIVE (probe.js/drive.js)');Object.entries(incl).filter(([k])=>/probe|drive/.test(k)).sort((a,b)=>b[1]-a[1]).slice(0,25).forEach(([k,v])=>console.log((v/1000).toFixed(1).padStart(8),(100*v/tot).toFixed(1).padStart(5)+'%',k));
