"""Evaluation pairs 1–15: a Chinese achievement (some with an English version provided by the owner) and a
demand written independently in each language, as a company there would phrase its need."""

PAIRS_A = [
    {
        "id": "sugarcane-harvester",
        "zh": (
            "丘陵山地甘蔗联合收割机",
            "针对广西丘陵坡地甘蔗人工砍收成本高、效率低的问题，研制履带式切段型甘蔗联合收割机，"
            "含茎率低于5%，宿根破损率低，每小时收获8吨，适合小地块作业。",
        ),
        "en": (
            "Combine harvester for sugarcane on hilly land",
            "Tracked chopper-type sugarcane harvester for small "
            "sloping plots; 8 t/h, trash content below 5%, low ratoon damage.",
        ),
        "demands": {
            "zh-hans": "我司蔗园多在坡地，人工砍蔗成本太高，求购适合小地块的甘蔗收获机械。",
            "en": "Our sugar mill needs a mechanical sugarcane harvester that works on small hillside fields and does not damage the ratoon.",
            "vi": "Nhà máy đường cần máy thu hoạch mía cơ giới hoạt động được trên ruộng đồi dốc, diện tích nhỏ.",
            "th": "โรงงานน้ำตาลต้องการรถตัดอ้อยที่ทำงานได้ในแปลงเล็กบนพื้นที่ลาดชัน เพื่อลดต้นทุนแรงงานตัดอ้อย",
            "id": "Pabrik gula kami membutuhkan mesin panen tebu yang dapat bekerja di lahan miring dan petak kecil.",
            "ms": "Kami memerlukan mesin penuai tebu untuk ladang berbukit yang kecil bagi mengurangkan kos buruh.",
            "fil": "Kailangan namin ng makina sa pag-aani ng tubo na kayang gumana sa maliliit at matarik na bukid.",
            "km": "ក្រុមហ៊ុនយើងត្រូវការម៉ាស៊ីនច្រូតអំពៅសម្រាប់ចម្ការតូចៗនៅលើដីទួលភ្នំ។",
            "lo": "ບໍລິສັດຕ້ອງການເຄື່ອງຈັກເກັບກ່ຽວອ້ອຍທີ່ໃຊ້ໄດ້ໃນໄຮ່ນ້ອຍເທິງພື້ນທີ່ພູດອຍ.",
            "my": "တောင်စောင်းမြေကွက်ငယ်များတွင် အသုံးပြုနိုင်သော ကြံရိတ်သိမ်းစက် လိုအပ်ပါသည်။",
        },
    },
    {
        "id": "cassava-ethanol",
        "zh": (
            "木薯燃料乙醇浓醪发酵技术",
            "以鲜木薯和木薯干片为原料，采用耐高温酵母浓醪同步糖化发酵，乙醇浓度达16%（v/v），"
            "吨乙醇能耗降低20%，酒糟废液资源化利用。",
        ),
        "demands": {
            "zh-hans": "寻求木薯生产燃料乙醇的高效发酵工艺，降低能耗并处理废液。",
            "en": "We want to produce fuel ethanol from cassava with a high-yield, low-energy fermentation process.",
            "vi": "Công ty cần công nghệ lên men sản xuất cồn nhiên liệu (ethanol) từ sắn với hiệu suất cao và tiết kiệm năng lượng.",
            "th": "ต้องการเทคโนโลยีการหมักเอทานอลเชื้อเพลิงจากมันสำปะหลังที่ให้ผลผลิตสูงและประหยัดพลังงาน",
            "id": "Kami mencari teknologi fermentasi bioetanol dari singkong dengan rendemen tinggi dan hemat energi.",
            "ms": "Syarikat kami mencari teknologi penapaian etanol bahan api daripada ubi kayu yang cekap tenaga.",
            "fil": "Naghahanap kami ng teknolohiya sa paggawa ng ethanol na panggatong mula sa kamoteng kahoy.",
            "km": "យើងកំពុងស្វែងរកបច្ចេកវិទ្យាផលិតអេតាណុលឥន្ធនៈពីដំឡូងមី ដែលសន្សំសំចៃថាមពល។",
            "lo": "ຕ້ອງການເຕັກໂນໂລຊີການໝັກເອທານອນເຊື້ອໄຟຈາກມັນຕົ້ນທີ່ປະຫຍັດພະລັງງານ.",
            "my": "ပလောပီနံမှ လောင်စာအီသနော ထုတ်လုပ်ရန် စွမ်းအင်ချွေတာသော ချဉ်ဖတ်နည်းပညာ ရှာဖွေနေပါသည်။",
        },
    },
    {
        "id": "aluminium-auto",
        "zh": (
            "汽车轻量化高强度铝合金型材",
            "开发6系高强铝合金挤压型材及热处理工艺，抗拉强度≥350MPa，用于新能源汽车电池包框架和防撞梁，"
            "比钢制件减重40%。",
        ),
        "en": (
            "High-strength aluminium alloy profiles for lightweight vehicles",
            "6xxx extruded profiles, tensile "
            "strength ≥350 MPa, for battery-pack frames and crash beams; 40% lighter than steel.",
        ),
        "demands": {
            "zh-hans": "需要用于电动汽车电池框架的高强度铝型材及挤压热处理技术，实现车身减重。",
            "en": "Looking for high-strength aluminium extrusion technology to make lighter battery frames and bumper beams for electric cars.",
            "vi": "Cần công nghệ đùn hợp kim nhôm cường độ cao để làm khung pin và dầm chống va cho ô tô điện, giảm trọng lượng xe.",
            "th": "ต้องการเทคโนโลยีอะลูมิเนียมอัลลอยความแข็งแรงสูงสำหรับโครงแบตเตอรี่รถยนต์ไฟฟ้า เพื่อลดน้ำหนักรถ",
            "id": "Membutuhkan teknologi profil paduan aluminium berkekuatan tinggi untuk rangka baterai mobil listrik yang lebih ringan.",
            "ms": "Memerlukan teknologi aloi aluminium berkekuatan tinggi untuk rangka bateri kenderaan elektrik yang lebih ringan.",
            "fil": "Kailangan ng teknolohiya ng matibay na aluminum alloy para sa magaan na frame ng baterya ng de-kuryenteng sasakyan.",
            "km": "ត្រូវការបច្ចេកវិទ្យាយ៉ាន់ស្ព័រអាលុយមីញ៉ូមរឹងមាំ សម្រាប់ស៊ុមថ្មរថយន្តអគ្គិសនី ដើម្បីកាត់បន្ថយទម្ងន់។",
            "lo": "ຕ້ອງການເຕັກໂນໂລຊີໂລຫະປະສົມອາລູມິນຽມແຂງແຮງສູງສຳລັບໂຄງແບັດເຕີຣີລົດໄຟຟ້າ ເພື່ອຫຼຸດນ້ຳໜັກ.",
            "my": "လျှပ်စစ်ကားဘက်ထရီဘောင်အတွက် ခိုင်ခံ့ပြီး ပေါ့ပါးသော အလူမီနီယမ်သတ္တုစပ် နည်းပညာ လိုအပ်သည်။",
        },
    },
    {
        "id": "ev-battery-thermal",
        "zh": (
            "动力电池液冷热管理系统",
            "针对高温高湿地区新能源汽车电池过热、寿命衰减快的问题，采用液冷板与热泵耦合的热管理系统，"
            "电芯温差控制在3℃以内，夏季续航提升8%。",
        ),
        "demands": {
            "zh-hans": "热带地区电动车电池夏天容易过热，需要电池热管理和冷却方案。",
            "en": "Electric buses in our tropical city overheat their batteries; we need a battery cooling and thermal management system.",
            "vi": "Xe buýt điện ở vùng nhiệt đới bị quá nhiệt pin, cần hệ thống làm mát và quản lý nhiệt cho pin.",
            "th": "รถบัสไฟฟ้าในเขตร้อนมีปัญหาแบตเตอรี่ร้อนเกินไป ต้องการระบบระบายความร้อนและจัดการความร้อนแบตเตอรี่",
            "id": "Bus listrik di iklim tropis mengalami baterai terlalu panas, kami perlu sistem pendingin dan manajemen termal baterai.",
            "ms": "Bateri bas elektrik kami terlalu panas dalam cuaca tropika; kami perlukan sistem penyejukan bateri.",
            "fil": "Nag-iinit nang sobra ang baterya ng aming mga electric bus; kailangan namin ng sistema ng pagpapalamig ng baterya.",
            "km": "ថ្មរថយន្តអគ្គិសនីឡើងកម្តៅខ្លាំងក្នុងអាកាសធាតុត្រូពិក ត្រូវការប្រព័ន្ធត្រជាក់សម្រាប់ថ្ម។",
            "lo": "ແບັດເຕີຣີລົດເມໄຟຟ້າຮ້ອນເກີນໄປໃນສະພາບອາກາດເຂດຮ້ອນ ຕ້ອງການລະບົບລະບາຍຄວາມຮ້อນແບັດເຕີຣີ.",
            "my": "အပူပိုင်းရာသီဥတုတွင် လျှပ်စစ်ဘတ်စ်ကား ဘက်ထရီ အပူလွန်ကဲသဖြင့် ဘက်ထရီအအေးပေးစနစ် လိုအပ်သည်။",
        },
    },
    {
        "id": "mangrove",
        "zh": (
            "红树林生态修复与快速育苗技术",
            "筛选白骨壤、秋茄等乡土树种，建立胚轴快速育苗和潮间带高程改造种植技术，造林成活率由40%提高到85%，"
            "恢复海岸防护和渔业资源。",
        ),
        "en": (
            "Mangrove restoration and rapid seedling technology",
            "Native species nursery and tidal elevation "
            "engineering; planting survival raised from 40% to 85%.",
        ),
        "demands": {
            "zh-hans": "沿海滩涂红树林种植成活率低，寻求红树林修复和育苗技术。",
            "en": "Our coastal province needs mangrove restoration know-how: our planted seedlings keep dying in the tidal flats.",
            "vi": "Tỉnh ven biển cần kỹ thuật phục hồi rừng ngập mặn và ươm cây giống vì tỷ lệ sống của cây trồng rất thấp.",
            "th": "ต้องการเทคนิคการฟื้นฟูป่าชายเลนและการเพาะกล้าโกงกาง เพราะอัตราการรอดของต้นกล้าต่ำ",
            "id": "Kami membutuhkan teknologi rehabilitasi hutan mangrove dan pembibitan karena bibit yang ditanam banyak mati.",
            "ms": "Kami memerlukan kaedah pemulihan hutan paya bakau kerana anak pokok yang ditanam banyak mati.",
            "fil": "Kailangan namin ng teknolohiya sa pagpapanumbalik ng bakawan dahil namamatay ang mga itinatanim na punla.",
            "km": "ខេត្តឆ្នេរសមុទ្រត្រូវការបច្ចេកទេសស្តារព្រៃកោងកាង និងបណ្តុះកូនឈើ ព្រោះកូនឈើងាប់ច្រើន។",
            "lo": "ຕ້ອງການເຕັກນິກການຟື້ນຟູປ່າຊາຍເລນ ແລະ ການອະນຸບານເບ້ຍໄມ້ ເພາະເບ້ຍຕາຍຫຼາຍ.",
            "my": "ဒီရေတောပြန်လည်ထူထောင်ရေးနှင့် ပျိုးပင်ထုတ်လုပ်ရေး နည်းပညာ လိုအပ်သည်၊ စိုက်ထားသောပျိုးပင်များ သေဆုံးနေသည်။",
        },
    },
    {
        "id": "durian-preservation",
        "zh": (
            "榴莲果肉速冻保鲜与气调包装技术",
            "采用液氮速冻结合气调包装，榴莲果肉冷链保质期延长至18个月，解冻后风味和质构保持率90%以上，"
            "适用于东盟榴莲进口加工。",
        ),
        "demands": {
            "zh-hans": "进口榴莲易变质，寻求榴莲果肉保鲜和冷冻加工技术。",
            "en": "We export durian and need a freezing and packaging technology that keeps the flesh fresh for months.",
            "vi": "Doanh nghiệp xuất khẩu sầu riêng cần công nghệ cấp đông và bảo quản giữ cơm sầu riêng tươi lâu.",
            "th": "ผู้ส่งออกทุเรียนต้องการเทคโนโลยีแช่แข็งและบรรจุภัณฑ์เพื่อถนอมเนื้อทุเรียนให้สดนานหลายเดือน",
            "id": "Eksportir durian membutuhkan teknologi pembekuan dan pengemasan agar daging durian tetap segar lama.",
            "ms": "Pengeksport durian memerlukan teknologi pembekuan dan pembungkusan untuk mengekalkan kesegaran isi durian.",
            "fil": "Kailangan ng aming kompanya ng teknolohiya sa pagpreserba at pagyeyelo ng laman ng durian para sa export.",
            "km": "អ្នកនាំចេញធូរេនត្រូវការបច្ចេកវិទ្យាបង្កក និងវេចខ្ចប់ ដើម្បីរក្សាសាច់ធូរេនឱ្យស្រស់បានយូរ។",
            "lo": "ຜູ້ສົ່ງອອກທຸລຽນຕ້ອງການເຕັກໂນໂລຊີແຊ່ແຂງ ແລະ ຫຸ້ມຫໍ່ ເພື່ອຮັກສາເນື້ອທຸລຽນໃຫ້ສົດດົນ.",
            "my": "ဒူးရင်းသီးအသားကို ကြာရှည်လတ်ဆတ်စေရန် အေးခဲခြင်းနှင့် ထုပ်ပိုးခြင်း နည်းပညာ လိုအပ်သည်။",
        },
    },
    {
        "id": "rubber-latex",
        "zh": (
            "天然橡胶低氨浓缩胶乳保存技术",
            "研发低氨复合保存剂替代高氨保存，胶乳储存6个月机械稳定度达标，减少氨气污染，"
            "适合东南亚橡胶园和乳胶手套企业。",
        ),
        "demands": {
            "zh-hans": "橡胶胶乳保存用氨气味大、污染重，寻找低氨或无氨保存剂。",
            "en": "Our rubber latex plant wants a low-ammonia preservative so that concentrated latex stays stable without the ammonia smell.",
            "vi": "Nhà máy mủ cao su cần chất bảo quản ít amoniac để mủ cô đặc ổn định mà không gây ô nhiễm.",
            "th": "โรงงานน้ำยางข้นต้องการสารรักษาสภาพน้ำยางแอมโมเนียต่ำ ลดกลิ่นและมลพิษ",
            "id": "Pabrik lateks karet kami mencari pengawet rendah amonia agar lateks pekat tetap stabil.",
            "ms": "Kilang lateks getah kami mencari bahan pengawet rendah ammonia untuk lateks pekat.",
            "fil": "Naghahanap ang aming pabrika ng latex ng goma ng preservative na mababa sa ammonia.",
            "km": "រោងចក្រជ័រកៅស៊ូត្រូវការសារធាតុថែរក្សាជ័រ ដែលមានអាម៉ូញាក់ទាប ដើម្បីកាត់បន្ថយការបំពុល។",
            "lo": "ໂຮງງານນ້ຳຢາງພາລາຕ້ອງການສານຮັກສານ້ຳຢາງທີ່ມີແອມໂມເນຍຕ່ຳ.",
            "my": "ရော်ဘာရည်စက်ရုံအတွက် အမိုးနီးယားနည်းသော ရော်ဘာရည် ထိန်းသိမ်းဆေး ရှာဖွေနေသည်။",
        },
    },
    {
        "id": "saline-rice",
        "zh": (
            "耐盐碱高产杂交水稻新组合",
            "利用分子标记辅助选育耐盐碱杂交水稻，在含盐量0.6%的滨海盐碱地亩产达500公斤以上，抗稻瘟病，"
            "适合湄公河三角洲等咸水入侵地区。",
        ),
        "en": (
            "Salt-tolerant high-yield hybrid rice",
            "Marker-assisted hybrid rice yielding over 7.5 t/ha on 0.6% "
            "saline coastal soil; blast resistant.",
        ),
        "demands": {
            "zh-hans": "沿海稻田受海水倒灌盐碱化，需要耐盐碱的水稻品种。",
            "en": "Saltwater intrusion is ruining our rice paddies; we need salt-tolerant rice varieties with good yield.",
            "vi": "Hạn mặn xâm nhập ở đồng bằng sông Cửu Long, cần giống lúa chịu mặn năng suất cao.",
            "th": "นาข้าวถูกน้ำเค็มรุก ต้องการพันธุ์ข้าวทนเค็มที่ให้ผลผลิตสูง",
            "id": "Sawah pesisir kami terkena intrusi air laut, kami membutuhkan varietas padi tahan salin dengan hasil tinggi.",
            "ms": "Sawah padi kami terjejas oleh air masin, kami memerlukan varieti padi tahan garam.",
            "fil": "Pinapasok ng tubig-alat ang aming palayan; kailangan namin ng binhi ng palay na matibay sa alat.",
            "km": "វាលស្រែត្រូវទឹកប្រៃជ្រាបចូល ត្រូវការពូជស្រូវធន់នឹងជាតិប្រៃដែលផ្តល់ទិន្នផលខ្ពស់។",
            "lo": "ນາເຂົ້າຖືກນ້ຳເຄັມບຸກລຸກ ຕ້ອງການແນວພັນເຂົ້າທົນເຄັມທີ່ໃຫ້ຜົນຜະລິດສູງ.",
            "my": "ဆားငန်ရေဝင်ရောက်သော လယ်ကွင်းများအတွက် ဆားငန်ဒဏ်ခံ အထွက်နှုန်းကောင်း စပါးမျိုး လိုအပ်သည်။",
        },
    },
    {
        "id": "shrimp-ras",
        "zh": (
            "对虾工厂化循环水养殖系统",
            "集成微滤、生物滤池和臭氧消毒的循环水养殖系统，换水率低于5%，南美白对虾养殖密度每立方米300尾，"
            "病害发生率显著降低。",
        ),
        "demands": {
            "zh-hans": "池塘养虾病害多、换水量大，想建工厂化循环水养虾车间。",
            "en": "We farm whiteleg shrimp in ponds with frequent disease; we want an indoor recirculating aquaculture system.",
            "vi": "Trang trại tôm thẻ chân trắng cần hệ thống nuôi tôm tuần hoàn nước trong nhà để giảm dịch bệnh.",
            "th": "ฟาร์มกุ้งขาวแวนนาไมต้องการระบบเลี้ยงกุ้งแบบน้ำหมุนเวียนในโรงเรือนเพื่อลดโรค",
            "id": "Tambak udang vaname kami membutuhkan sistem budidaya resirkulasi (RAS) dalam ruangan untuk mengurangi penyakit.",
            "ms": "Ladang udang kami memerlukan sistem akuakultur air kitar semula dalam bangunan untuk mengurangkan penyakit.",
            "fil": "Kailangan ng aming hipunan ng recirculating aquaculture system para mabawasan ang sakit ng hipon.",
            "km": "កសិដ្ឋានចិញ្ចឹមបង្គាត្រូវការប្រព័ន្ធចិញ្ចឹមបង្គាដោយទឹកវិលជុំក្នុងផ្ទះ ដើម្បីកាត់បន្ថយជំងឺ។",
            "lo": "ຟາມລ້ຽງກຸ້ງຕ້ອງການລະບົບລ້ຽງກຸ້ງແບບນ້ຳໝູນວຽນໃນອາຄານ ເພື່ອຫຼຸດພະຍາດ.",
            "my": "ပုစွန်မွေးမြူရေးခြံအတွက် ရောဂါလျှော့ချရန် ရေပြန်လည်လည်ပတ်သော အိမ်တွင်းမွေးမြူရေးစနစ် လိုအပ်သည်။",
        },
    },
    {
        "id": "monk-fruit",
        "zh": (
            "罗汉果甜苷高纯度提取工艺",
            "以广西桂林罗汉果为原料，采用膜分离与大孔树脂纯化，罗汉果甜苷V纯度达50%以上，"
            "得率提高25%，用于天然零卡代糖饮料。",
        ),
        "demands": {
            "zh-hans": "饮料厂需要天然零热量甜味剂，寻求罗汉果甜苷提取纯化技术。",
            "en": "Our beverage company wants a natural zero-calorie sweetener and is looking for monk fruit (luo han guo) extract technology.",
            "vi": "Công ty đồ uống cần chất tạo ngọt tự nhiên không calo, tìm công nghệ chiết xuất quả la hán.",
            "th": "บริษัทเครื่องดื่มต้องการสารให้ความหวานธรรมชาติไม่มีแคลอรี่ มองหาเทคโนโลยีสกัดหล่อฮังก๊วย",
            "id": "Perusahaan minuman kami mencari teknologi ekstraksi buah monk (luo han guo) sebagai pemanis alami nol kalori.",
            "ms": "Syarikat minuman kami mencari teknologi ekstrak buah monk sebagai pemanis semula jadi tanpa kalori.",
            "fil": "Naghahanap ang aming kompanya ng inumin ng teknolohiya sa pagkuha ng katas ng monk fruit bilang natural na pampatamis.",
            "km": "ក្រុមហ៊ុនភេសជ្ជៈត្រូវការសារធាតុផ្អែមធម្មជាតិគ្មានកាឡូរី ស្វែងរកបច្ចេកវិទ្យាចម្រាញ់ផ្លែឡូហានគួ។",
            "lo": "ບໍລິສັດເຄື່ອງດື່ມຕ້ອງການສານໃຫ້ຄວາມຫວານທຳມະຊາດບໍ່ມີແຄລໍຣີ ຊອກຫາເຕັກໂນໂລຊີສະກັດໝາກລົວຮັນກວຍ.",
            "my": "အချိုရည်ကုမ္ပဏီအတွက် ကယ်လိုရီမရှိ သဘာဝအချိုဓာတ်အဖြစ် monk fruit အသီးမှ ထုတ်ယူနည်းပညာ ရှာဖွေနေသည်။",
        },
    },
    {
        "id": "5g-port",
        "zh": (
            "5G专网智慧港口远程控制系统",
            "基于5G专网低时延切片，实现岸桥、场桥远程操控和集装箱卡车自动驾驶，单箱作业时延小于20毫秒，"
            "已在北部湾港应用，作业效率提升30%。",
        ),
        "en": (
            "5G private network for smart ports",
            "Remote crane control and autonomous container trucks on a 5G "
            "slice; <20 ms latency; deployed at Beibu Gulf Port.",
        ),
        "demands": {
            "zh-hans": "码头想用5G实现岸桥远程操作和集卡无人驾驶，提高装卸效率。",
            "en": "Our container terminal wants to use a private 5G network for remote crane operation and driverless yard trucks.",
            "vi": "Cảng container muốn ứng dụng mạng 5G riêng để điều khiển cẩu từ xa và xe tải tự lái trong bãi.",
            "th": "ท่าเรือคอนเทนเนอร์ต้องการใช้เครือข่าย 5G ส่วนตัวเพื่อควบคุมปั้นจั่นระยะไกลและรถบรรทุกไร้คนขับ",
            "id": "Pelabuhan peti kemas kami ingin memakai jaringan 5G privat untuk kendali crane jarak jauh dan truk otonom.",
            "ms": "Pelabuhan kontena kami ingin menggunakan rangkaian 5G persendirian untuk kawalan kren jarak jauh.",
            "fil": "Nais ng aming daungan na gumamit ng pribadong 5G network para sa remote na pagpapatakbo ng crane.",
            "km": "កំពង់ផែកុងតឺន័រចង់ប្រើបណ្តាញ 5G ឯកជន ដើម្បីបញ្ជាស្ទូចពីចម្ងាយ និងឡានដឹកគ្មានអ្នកបើក។",
            "lo": "ທ່າເຮືອຕູ້ສິນຄ້າຕ້ອງການໃຊ້ເຄືອຂ່າຍ 5G ສ່ວນຕົວເພື່ອຄວບຄຸມເຄນທາງໄກ.",
            "my": "ကွန်တိန်နာဆိပ်ကမ်းတွင် ကရိန်းများကို အဝေးမှထိန်းချုပ်ရန် သီးသန့် 5G ကွန်ရက် အသုံးပြုလိုသည်။",
        },
    },
    {
        "id": "bagasse-tableware",
        "zh": (
            "甘蔗渣可降解环保餐具生产技术",
            "以制糖副产物甘蔗渣为原料，经打浆、模压成型生产一次性餐盒，90天内可自然降解，"
            "耐油耐热100℃，替代泡沫塑料餐具。",
        ),
        "demands": {
            "zh-hans": "想用糖厂的蔗渣生产可降解一次性餐盒，替代塑料泡沫。",
            "en": "We have lots of sugarcane bagasse and want to make compostable food containers to replace styrofoam.",
            "vi": "Chúng tôi có nhiều bã mía và muốn sản xuất hộp đựng thức ăn phân hủy sinh học thay cho hộp xốp.",
            "th": "เรามีชานอ้อยจำนวนมาก ต้องการผลิตภาชนะใส่อาหารย่อยสลายได้แทนโฟม",
            "id": "Kami memiliki banyak ampas tebu dan ingin memproduksi wadah makanan yang dapat terurai untuk mengganti styrofoam.",
            "ms": "Kami mempunyai hampas tebu yang banyak dan ingin mengeluarkan bekas makanan terbiodegradasi.",
            "fil": "Marami kaming bagasse ng tubo at nais gumawa ng nabubulok na lalagyan ng pagkain kapalit ng styrofoam.",
            "km": "យើងមានកាកអំពៅច្រើន ហើយចង់ផលិតប្រអប់ម្ហូបដែលរលួយបាន ជំនួសប្រអប់ស្នោ។",
            "lo": "ພວກເຮົາມີກາກອ້ອຍຫຼາຍ ແລະ ຢາກຜະລິດກ່ອງໃສ່ອາຫານທີ່ຍ່ອຍສະຫຼາຍໄດ້ແທນກ່ອງໂຟມ.",
            "my": "ကြံဖတ်များကို အသုံးပြု၍ ပုပ်ဆွေးနိုင်သော အစားအစာဘူးများ ထုတ်လုပ်လိုသည်။",
        },
    },
    {
        "id": "banana-wilt",
        "zh": (
            "香蕉枯萎病绿色综合防控技术",
            "针对香蕉枯萎病（巴拿马病）4号小种，集成抗病品种、生防菌剂和土壤改良，发病率由30%降至5%以下，"
            "已在广西、云南推广10万亩。",
        ),
        "demands": {
            "zh-hans": "香蕉园巴拿马病（枯萎病）严重，求防治技术和抗病品种。",
            "en": "Panama disease (Fusarium wilt TR4) is destroying our banana plantation; we need control methods and resistant varieties.",
            "vi": "Vườn chuối bị bệnh héo rũ Panama nặng, cần biện pháp phòng trừ và giống chuối kháng bệnh.",
            "th": "สวนกล้วยเป็นโรคตายพราย (ปานามา) รุนแรง ต้องการวิธีควบคุมโรคและพันธุ์ต้านทาน",
            "id": "Kebun pisang kami terserang layu Fusarium (penyakit Panama), kami butuh cara pengendalian dan varietas tahan.",
            "ms": "Ladang pisang kami diserang penyakit layu Fusarium (penyakit Panama); kami perlukan kaedah kawalan.",
            "fil": "Sinisira ng Panama disease (Fusarium wilt) ang aming saging; kailangan namin ng paraan ng pagkontrol.",
            "km": "ចម្ការចេកកើតជំងឺស្វិតប៉ាណាម៉ាធ្ងន់ធ្ងរ ត្រូវការវិធីកំចាត់ និងពូជចេកធន់នឹងជំងឺ។",
            "lo": "ສວນກ້ວຍເປັນພະຍາດຫ່ຽວປານາມາຮ້າຍແຮງ ຕ້ອງການວິທີປ້ອງກັນ ແລະ ແນວພັນທົນທານ.",
            "my": "ငှက်ပျောခြံတွင် ပနားမားရောဂါ (ညှိုးရောဂါ) ပြင်းထန်စွာဖြစ်နေ၍ ကာကွယ်နှိမ်နင်းနည်း လိုအပ်သည်။",
        },
    },
    {
        "id": "liupao-tea",
        "zh": (
            "六堡茶微生物控制发酵工艺",
            "筛选优势冠突散囊菌菌株，实现六堡茶渥堆发酵温湿度智能控制，发酵周期缩短40%，"
            "品质稳定，黄曲霉毒素零检出。",
        ),
        "demands": {
            "zh-hans": "黑茶发酵品质不稳定，需要茶叶发酵过程控制和菌种技术。",
            "en": "Our dark tea fermentation gives uneven quality; we need controlled microbial fermentation for tea.",
            "vi": "Quá trình lên men trà đen của chúng tôi không ổn định, cần công nghệ lên men trà có kiểm soát vi sinh.",
            "th": "การหมักชาดำของเรามีคุณภาพไม่คงที่ ต้องการเทคโนโลยีควบคุมการหมักชาด้วยจุลินทรีย์",
            "id": "Fermentasi teh hitam kami kualitasnya tidak stabil, kami butuh teknologi fermentasi teh terkendali.",
            "ms": "Kualiti penapaian teh gelap kami tidak stabil; kami perlukan teknologi penapaian teh terkawal.",
            "fil": "Hindi pare-pareho ang kalidad ng fermentation ng aming dark tea; kailangan namin ng kontroladong fermentation.",
            "km": "ការ​ធ្វើ​ឲ្យ​តែ​ខ្មៅ​ឡើង​ជាតិ​មិន​ស្ថិតស្ថេរ ត្រូវការបច្ចេកវិទ្យាគ្រប់គ្រងការបង្កាត់តែដោយមីក្រុប។",
            "lo": "ຄຸນນະພາບການໝັກຊາດຳບໍ່ສະໝ່ຳສະເໝີ ຕ້ອງການເຕັກໂນໂລຊີຄວບຄຸມການໝັກຊາ.",
            "my": "လက်ဖက်ခြောက်အမည်း ချဉ်ဖတ်ခြင်း အရည်အသွေး မတည်ငြိမ်၍ ထိန်းချုပ်ထားသော ချဉ်ဖတ်နည်းပညာ လိုအပ်သည်။",
        },
    },
    {
        "id": "formaldehyde-free-panel",
        "zh": (
            "桉树单板无醛胶合板制造技术",
            "以速生桉树单板为原料，采用大豆蛋白改性无醛胶黏剂，甲醛释放量达到ENF级（≤0.025mg/m³），"
            "胶合强度满足一类板要求。",
        ),
        "demands": {
            "zh-hans": "胶合板厂需要无甲醛胶黏剂技术，产品要出口欧洲。",
            "en": "Our plywood mill needs a formaldehyde-free adhesive so that our eucalyptus plywood meets export standards.",
            "vi": "Nhà máy gỗ dán cần keo không formaldehyde để ván bạch đàn đạt tiêu chuẩn xuất khẩu.",
            "th": "โรงงานไม้อัดต้องการกาวปลอดฟอร์มาลดีไฮด์ เพื่อให้ไม้อัดยูคาลิปตัสได้มาตรฐานส่งออก",
            "id": "Pabrik kayu lapis kami membutuhkan perekat bebas formaldehida agar produk memenuhi standar ekspor.",
            "ms": "Kilang papan lapis kami memerlukan perekat bebas formaldehid untuk memenuhi piawaian eksport.",
            "fil": "Kailangan ng aming pabrika ng plywood ng pandikit na walang formaldehyde para sa export.",
            "km": "រោងចក្រក្តារបន្ទះត្រូវការកាវគ្មានហ្វរម៉ាល់ដេអ៊ីត ដើម្បីបំពេញស្តង់ដារនាំចេញ។",
            "lo": "ໂຮງງານໄມ້ອັດຕ້ອງການກາວທີ່ບໍ່ມີຟໍມາລດີໄຮ ເພື່ອໃຫ້ໄດ້ມາດຕະຖານສົ່ງອອກ.",
            "my": "အထပ်သားစက်ရုံအတွက် ပို့ကုန်စံနှုန်းနှင့်ကိုက်ညီရန် ဖော်မယ်ဒီဟိုက်မပါသော ကော်နည်းပညာ လိုအပ်သည်။",
        },
    },
]
