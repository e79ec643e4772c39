"""Evaluation pairs 16–30 (see pairs_a)."""

PAIRS_B = [
    {
        "id": "manganese-residue",
        "zh": (
            "电解锰渣无害化处理与建材利用",
            "采用低温焙烧与固化稳定化技术，去除电解锰渣中的氨氮和可溶性锰，处理后制成免烧砖和路基材料，"
            "解决锰渣堆存污染问题。",
        ),
        "demands": {
            "zh-hans": "锰厂废渣堆积污染地下水，寻求锰渣无害化处理和综合利用技术。",
            "en": "Our manganese smelter has huge piles of electrolytic manganese residue; we need a way to detoxify it and reuse it in building materials.",
            "vi": "Nhà máy mangan có nhiều bã thải điện phân, cần công nghệ xử lý không độc hại và tái sử dụng làm vật liệu xây dựng.",
            "th": "โรงงานแมงกานีสมีกากตะกอนจำนวนมาก ต้องการเทคโนโลยีบำบัดให้ปลอดภัยและนำไปทำวัสดุก่อสร้าง",
            "id": "Pabrik mangan kami memiliki timbunan limbah residu mangan, kami perlu teknologi pengolahan dan pemanfaatan sebagai bahan bangunan.",
            "ms": "Kilang mangan kami mempunyai sisa mangan yang banyak; kami perlukan teknologi rawatan dan guna semula sebagai bahan binaan.",
            "fil": "Maraming latak na manganese ang aming planta; kailangan ng teknolohiya para gawin itong ligtas at magamit sa construction.",
            "km": "រោងចក្រម៉ង់កាណែសមានកាកសំណល់ច្រើន ត្រូវការបច្ចេកវិទ្យាសម្អាតជាតិពុល និងប្រើជាសម្ភារៈសំណង់។",
            "lo": "ໂຮງງານແມງການີສມີກາກເສດເຫຼືອຫຼາຍ ຕ້ອງການເຕັກໂນໂລຊີບຳບັດ ແລະ ນຳໃຊ້ເປັນວັດສະດຸກໍ່ສ້າງ.",
            "my": "မန်းဂနိစ်စက်ရုံမှ စွန့်ပစ်အကြွင်းအကျန်များကို အဆိပ်ကင်းအောင် သန့်စင်ပြီး ဆောက်လုပ်ရေးပစ္စည်းအဖြစ် ပြန်သုံးနည်း လိုအပ်သည်။",
        },
    },
    {
        "id": "fishery-pv",
        "zh": (
            "渔光互补光伏电站设计与运维技术",
            "在鱼塘水面架设高支架光伏组件，上层发电、下层养鱼，优化遮光率保证鱼类生长，"
            "每亩年发电量6万千瓦时，养殖收益不降低。",
        ),
        "en": (
            "Fishery-solar complementary PV plants",
            "Elevated PV arrays over fish ponds: power above, fish below; "
            "60,000 kWh per mu per year without loss of fish yield.",
        ),
        "demands": {
            "zh-hans": "想在养鱼池塘上建光伏电站，发电和养鱼两不误。",
            "en": "We want to install solar panels over our fish ponds without hurting fish production.",
            "vi": "Chúng tôi muốn lắp điện mặt trời trên ao nuôi cá mà không ảnh hưởng đến sản lượng cá.",
            "th": "เราต้องการติดตั้งแผงโซลาร์เซลล์เหนือบ่อเลี้ยงปลา โดยไม่กระทบผลผลิตปลา",
            "id": "Kami ingin memasang panel surya di atas kolam ikan tanpa mengurangi hasil budidaya ikan.",
            "ms": "Kami ingin memasang panel solar di atas kolam ikan tanpa menjejaskan pengeluaran ikan.",
            "fil": "Nais naming maglagay ng solar panel sa ibabaw ng palaisdaan nang hindi naaapektuhan ang isda.",
            "km": "យើងចង់ដំឡើងបន្ទះសូឡាលើស្រះចិញ្ចឹមត្រី ដោយមិនប៉ះពាល់ដល់ទិន្នផលត្រី។",
            "lo": "ພວກເຮົາຕ້ອງການຕິດຕັ້ງແຜງໂຊລາເທິງໜອງລ້ຽງປາ ໂດຍບໍ່ກະທົບຜົນຜະລິດປາ.",
            "my": "ငါးမွေးကန်များပေါ်တွင် ငါးထွက်နှုန်းမထိခိုက်စေဘဲ ဆိုလာပြားများ တပ်ဆင်လိုသည်။",
        },
    },
    {
        "id": "plant-protection-drone",
        "zh": (
            "植保无人机精准变量施药系统",
            "基于多光谱识别病虫害分布，生成处方图并变量喷洒，农药用量减少30%，"
            "单机日作业300亩，适用于水稻、甘蔗和果园。",
        ),
        "demands": {
            "zh-hans": "需要能按病虫害分布精准喷药的农业无人机，减少农药用量。",
            "en": "We need agricultural spraying drones that apply pesticide precisely where pests are, to cut chemical use.",
            "vi": "Hợp tác xã cần máy bay không người lái phun thuốc bảo vệ thực vật chính xác để giảm lượng thuốc.",
            "th": "สหกรณ์ต้องการโดรนพ่นยาการเกษตรที่ฉีดพ่นแม่นยำตามจุดที่มีศัตรูพืช เพื่อลดการใช้สารเคมี",
            "id": "Koperasi tani kami membutuhkan drone penyemprot pestisida yang presisi untuk mengurangi pemakaian pestisida.",
            "ms": "Koperasi kami memerlukan dron penyembur racun perosak yang tepat untuk mengurangkan penggunaan racun.",
            "fil": "Kailangan ng aming kooperatiba ng drone na tumpak mag-spray ng pestisidyo para makatipid.",
            "km": "សហករណ៍កសិកម្មត្រូវការដ្រូនបាញ់ថ្នាំសម្លាប់សត្វល្អិតឱ្យចំគោលដៅ ដើម្បីកាត់បន្ថយការប្រើថ្នាំ។",
            "lo": "ສະຫະກອນຕ້ອງການໂດຣນສີດຢາກະສິກຳທີ່ສີດໄດ້ແມ່ນຍຳ ເພື່ອຫຼຸດການໃຊ້ຢາ.",
            "my": "ပိုးသတ်ဆေးသုံးစွဲမှု လျှော့ချရန် တိကျစွာ ဖြန်းနိုင်သော စိုက်ပျိုးရေး ဒရုန်း လိုအပ်သည်။",
        },
    },
    {
        "id": "cold-chain-iot",
        "zh": (
            "果蔬跨境冷链物联网温湿度监测平台",
            "冷藏集装箱内布设低功耗温湿度与乙烯传感器，北斗定位实时回传，异常自动预警，"
            "中越跨境运输果蔬损耗率由15%降至5%。",
        ),
        "demands": {
            "zh-hans": "跨境运输水果损耗大，需要冷链全程温度监控和预警系统。",
            "en": "We ship fresh fruit across the border and lose too much; we need real-time temperature monitoring for our reefer containers.",
            "vi": "Vận chuyển trái cây qua biên giới bị hư hỏng nhiều, cần hệ thống giám sát nhiệt độ chuỗi lạnh theo thời gian thực.",
            "th": "การขนส่งผลไม้ข้ามแดนเสียหายมาก ต้องการระบบติดตามอุณหภูมิห้องเย็นแบบเรียลไทม์",
            "id": "Pengiriman buah lintas negara kami banyak yang rusak, kami butuh pemantauan suhu rantai dingin secara real-time.",
            "ms": "Penghantaran buah rentas sempadan kami banyak rosak; kami perlukan pemantauan suhu rantaian sejuk masa nyata.",
            "fil": "Maraming nasisirang prutas sa aming cross-border na pagpapadala; kailangan ng real-time na monitoring ng temperatura ng cold chain.",
            "km": "ការដឹកផ្លែឈើឆ្លងព្រំដែនខូចច្រើន ត្រូវការប្រព័ន្ធតាមដានសីតុណ្ហភាពខ្សែសង្វាក់ត្រជាក់ភ្លាមៗ។",
            "lo": "ການຂົນສົ່ງໝາກໄມ້ຂ້າມແດນເສຍຫາຍຫຼາຍ ຕ້ອງການລະບົບຕິດຕາມອຸນຫະພູມຫ້ອງເຢັນແບບທັນທີ.",
            "my": "နယ်စပ်ဖြတ်ကျော် သစ်သီးပို့ဆောင်ရာတွင် ပျက်စီးမှုများ၍ အအေးခန်းအပူချိန် စောင့်ကြည့်စနစ် လိုအပ်သည်။",
        },
    },
    {
        "id": "smart-sericulture",
        "zh": (
            "桑蚕省力化智能养殖技术",
            "研发自动喂叶、温湿度自动调控的方格簇蚕房和人工饲料小蚕共育技术，每张蚕种用工减少50%，"
            "蚕茧质量提高一个等级。",
        ),
        "demands": {
            "zh-hans": "养蚕用工多、蚕茧质量不稳，需要省力化和智能化养蚕技术。",
            "en": "Silkworm rearing takes too much labour on our farms; we need automated, climate-controlled sericulture methods.",
            "vi": "Nuôi tằm tốn nhiều công lao động, cần kỹ thuật nuôi tằm tự động và kiểm soát nhiệt độ độ ẩm.",
            "th": "การเลี้ยงไหมใช้แรงงานมาก ต้องการเทคโนโลยีเลี้ยงไหมอัตโนมัติและควบคุมอุณหภูมิความชื้น",
            "id": "Budidaya ulat sutra memerlukan banyak tenaga kerja, kami butuh teknologi pemeliharaan ulat sutra otomatis.",
            "ms": "Penternakan ulat sutera memerlukan banyak tenaga kerja; kami perlukan teknologi penternakan ulat sutera automatik.",
            "fil": "Masyadong maraming trabaho ang pag-aalaga ng silkworm; kailangan namin ng awtomatikong sericulture.",
            "km": "ការចិញ្ចឹមដង្កូវនាងត្រូវការកម្លាំងពលកម្មច្រើន ត្រូវការបច្ចេកទេសចិញ្ចឹមដង្កូវនាងស្វ័យប្រវត្តិ។",
            "lo": "ການລ້ຽງມອນໃຊ້ແຮງງານຫຼາຍ ຕ້ອງການເຕັກນິກການລ້ຽງມອນແບບອັດຕະໂນມັດ.",
            "my": "ပိုးချည်ပိုးမွေးမြူရေးတွင် လုပ်သားအများအပြားလိုအပ်၍ အလိုအလျောက် ပိုးမွေးနည်းပညာ လိုအပ်သည်။",
        },
    },
    {
        "id": "tilapia-vaccine",
        "zh": (
            "罗非鱼无乳链球菌病灭活疫苗",
            "针对罗非鱼链球菌病造成的大规模死亡，研制无乳链球菌灭活浸泡/注射疫苗，免疫保护率85%以上，"
            "减少抗生素使用。",
        ),
        "en": (
            "Inactivated vaccine against Streptococcus agalactiae in tilapia",
            "Immersion/injection vaccine, over 85% protection, reduces antibiotic use.",
        ),
        "demands": {
            "zh-hans": "罗非鱼养殖链球菌病死亡率高，寻求疫苗替代抗生素。",
            "en": "Streptococcus outbreaks kill our tilapia every summer; we need a fish vaccine instead of antibiotics.",
            "vi": "Cá rô phi chết hàng loạt do bệnh liên cầu khuẩn, cần vắc-xin cho cá thay cho kháng sinh.",
            "th": "ปลานิลตายจำนวนมากจากโรคสเตรปโตคอคคัส ต้องการวัคซีนปลาแทนการใช้ยาปฏิชีวนะ",
            "id": "Ikan nila kami banyak mati karena penyakit streptococcus, kami butuh vaksin ikan pengganti antibiotik.",
            "ms": "Ikan tilapia kami banyak mati akibat jangkitan streptococcus; kami perlukan vaksin ikan.",
            "fil": "Maraming namamatay na tilapia dahil sa streptococcus; kailangan namin ng bakuna para sa isda.",
            "km": "ត្រីទីឡាព្យាងាប់ច្រើនដោយសារជំងឺស្ត្រិបតូកូកុស ត្រូវការវ៉ាក់សាំងត្រីជំនួសថ្នាំអង់ទីប៊ីយោទិច។",
            "lo": "ປານິນຕາຍຫຼາຍຍ້ອນພະຍາດສະເຕຣັບໂຕຄອກຄັດ ຕ້ອງການວັກຊີນປາແທນຢາຕ້ານເຊື້ອ.",
            "my": "တီလားပီးယားငါးများ စထရက်ပတိုကိုကပ်စ်ရောဂါဖြင့် သေဆုံးနေ၍ ပဋိဇီဝဆေးအစား ငါးကာကွယ်ဆေး လိုအပ်သည်။",
        },
    },
    {
        "id": "agri-blockchain",
        "zh": (
            "区块链农产品质量溯源平台",
            "基于联盟链记录种植、加工、检测、物流全过程数据，消费者扫码查看来源，数据不可篡改，"
            "已用于百色芒果和横州茉莉花茶。",
        ),
        "demands": {
            "zh-hans": "出口农产品需要可信的质量追溯系统，客户要扫码查来源。",
            "en": "Importers ask us to prove where our produce comes from; we need a blockchain-based farm-to-table traceability system.",
            "vi": "Nhà nhập khẩu yêu cầu truy xuất nguồn gốc nông sản, cần hệ thống truy xuất bằng blockchain và mã QR.",
            "th": "ผู้นำเข้าต้องการตรวจสอบแหล่งที่มาของสินค้าเกษตร ต้องการระบบตรวจสอบย้อนกลับด้วยบล็อกเชน",
            "id": "Importir meminta bukti asal produk pertanian kami; kami butuh sistem ketertelusuran berbasis blockchain.",
            "ms": "Pengimport mahu bukti asal hasil pertanian kami; kami perlukan sistem kebolehkesanan berasaskan blockchain.",
            "fil": "Kailangan namin ng blockchain na sistema ng traceability para mapatunayan ang pinagmulan ng aming ani.",
            "km": "អ្នកនាំចូលចង់ដឹងប្រភពកសិផល យើងត្រូវការប្រព័ន្ធតាមដានប្រភពដោយប្រើប្លុកឆេន។",
            "lo": "ຜູ້ນຳເຂົ້າຕ້ອງການຮູ້ແຫຼ່ງທີ່ມາຂອງຜະລິດຕະພັນກະສິກຳ ຕ້ອງການລະບົບຕິດຕາມແຫຼ່ງທີ່ມາດ້ວຍບລັອກເຊນ.",
            "my": "စိုက်ပျိုးရေးထွက်ကုန်များ၏ မူရင်းကို သက်သေပြရန် ဘလော့ချိန်း ခြေရာခံစနစ် လိုအပ်သည်။",
        },
    },
    {
        "id": "landslide-warning",
        "zh": (
            "岩溶山区地质灾害监测预警系统",
            "采用北斗GNSS位移、裂缝计和雨量计多源监测，结合机器学习预警模型，提前6小时发布滑坡预警，"
            "已在广西百色、河池部署300个监测点。",
        ),
        "demands": {
            "zh-hans": "山区公路常发生滑坡，需要地质灾害自动监测和预警设备。",
            "en": "Landslides keep blocking our mountain roads in the rainy season; we need an automatic landslide monitoring and early-warning system.",
            "vi": "Đường miền núi thường bị sạt lở đất mùa mưa, cần hệ thống giám sát và cảnh báo sớm sạt lở.",
            "th": "ถนนบนภูเขามักเกิดดินถล่มในฤดูฝน ต้องการระบบตรวจวัดและเตือนภัยดินถล่มล่วงหน้า",
            "id": "Jalan pegunungan kami sering tertutup tanah longsor, kami butuh sistem pemantauan dan peringatan dini longsor.",
            "ms": "Jalan pergunungan kami sering dilanda tanah runtuh; kami perlukan sistem amaran awal tanah runtuh.",
            "fil": "Madalas ang landslide sa aming mga kalsada sa bundok; kailangan ng sistema ng maagang babala sa pagguho ng lupa.",
            "km": "ផ្លូវតំបន់ភ្នំតែងតែមានការបាក់ដីក្នុងរដូវវស្សា ត្រូវការប្រព័ន្ធតាមដាន និងព្រមានជាមុនអំពីការបាក់ដី។",
            "lo": "ເສັ້ນທາງເຂດພູດອຍມັກເກີດດິນເຈື່ອນໃນລະດູຝົນ ຕ້ອງການລະບົບຕິດຕາມ ແລະ ເຕືອນໄພດິນເຈື່ອນລ່ວງໜ້າ.",
            "my": "မိုးရာသီတွင် တောင်ပေါ်လမ်းများ မြေပြိုမှုဖြစ်၍ မြေပြိုမှု စောင့်ကြည့်ခြင်းနှင့် ကြိုတင်သတိပေးစနစ် လိုအပ်သည်။",
        },
    },
    {
        "id": "straw-mushroom",
        "zh": (
            "稻草秸秆栽培双孢蘑菇技术",
            "以水稻秸秆为主要基质，采用隧道式二次发酵制备培养料，双孢蘑菇生物转化率达45%，"
            "实现秸秆资源化，替代露天焚烧。",
        ),
        "demands": {
            "zh-hans": "水稻秸秆无处消纳，想用秸秆种蘑菇增加农民收入。",
            "en": "Farmers burn their rice straw after harvest; we want to use the straw to grow mushrooms instead.",
            "vi": "Nông dân đốt rơm rạ sau thu hoạch, chúng tôi muốn dùng rơm để trồng nấm tăng thu nhập.",
            "th": "เกษตรกรเผาฟางข้าวหลังเก็บเกี่ยว เราต้องการใช้ฟางข้าวเพาะเห็ดแทน",
            "id": "Petani membakar jerami padi setelah panen; kami ingin memanfaatkan jerami untuk budidaya jamur.",
            "ms": "Petani membakar jerami padi selepas menuai; kami mahu menggunakan jerami untuk menanam cendawan.",
            "fil": "Sinusunog ng mga magsasaka ang dayami; nais naming gamitin ang dayami ng palay sa pagtatanim ng kabute.",
            "km": "កសិករដុតចំបើងក្រោយច្រូតកាត់ យើងចង់ប្រើចំបើងដើម្បីដាំផ្សិតជំនួសវិញ។",
            "lo": "ຊາວນາເຜົາເຟືອງເຂົ້າຫຼັງເກັບກ່ຽວ ພວກເຮົາຢາກໃຊ້ເຟືອງເພື່ອເພາະເຫັດ.",
            "my": "ကောက်ရိတ်ပြီးနောက် ကောက်ရိုးများကို မီးရှို့မည့်အစား မှိုစိုက်ပျိုးရန် အသုံးပြုလိုသည်။",
        },
    },
    {
        "id": "typhoon-steel-house",
        "zh": (
            "抗台风装配式轻钢结构农房",
            "采用冷弯薄壁型钢龙骨与复合墙板，抗风等级达17级，工厂预制、现场7天完工，"
            "造价比砖混结构低15%，适合沿海和海岛地区。",
        ),
        "demands": {
            "zh-hans": "沿海村庄台风多，需要能快速建造的抗台风装配式住房。",
            "en": "Typhoons destroy houses in our coastal villages every year; we need prefabricated homes that resist strong winds and go up quickly.",
            "vi": "Làng ven biển thường bị bão tàn phá, cần nhà lắp ghép khung thép nhẹ chống bão, thi công nhanh.",
            "th": "หมู่บ้านชายฝั่งโดนพายุไต้ฝุ่นทุกปี ต้องการบ้านสำเร็จรูปโครงเหล็กที่ทนลมแรงและสร้างได้เร็ว",
            "id": "Desa pesisir kami sering dilanda topan; kami butuh rumah prefabrikasi rangka baja ringan tahan angin kencang.",
            "ms": "Kampung pesisir kami kerap dilanda taufan; kami perlukan rumah pasang siap tahan angin kencang.",
            "fil": "Taun-taon sinisira ng bagyo ang mga bahay sa aming baybayin; kailangan ng prefabricated na bahay na matibay sa bagyo.",
            "km": "ភូមិឆ្នេរសមុទ្ររងព្យុះទីហ្វុងរៀងរាល់ឆ្នាំ ត្រូវការផ្ទះដែកស្រាលដំឡើងរហ័ស ធន់នឹងខ្យល់ខ្លាំង។",
            "lo": "ບ້ານເຂດຊາຍຝັ່ງຖືກພາຍຸທຳລາຍທຸກປີ ຕ້ອງການເຮືອນສຳເລັດຮູບໂຄງເຫຼັກທີ່ທົນລົມແຮງ.",
            "my": "ကမ်းရိုးတန်းရွာများတွင် တိုင်ဖွန်းမုန်တိုင်းဒဏ်ခံနိုင်ပြီး လျင်မြန်စွာ ဆောက်လုပ်နိုင်သော အိမ်များ လိုအပ်သည်။",
        },
    },
    {
        "id": "e-bike-swapping",
        "zh": (
            "电动两轮车智能换电柜系统",
            "磷酸铁锂换电电池配智能换电柜，扫码30秒完成换电，云端电池健康管理与消防预警，"
            "适用于外卖骑手和城市摩托车出行。",
        ),
        "en": (
            "Battery-swapping cabinets for electric two-wheelers",
            "LFP swap packs, 30-second swap by QR code, cloud battery health and fire warning.",
        ),
        "demands": {
            "zh-hans": "城市电动摩托车充电慢，想建设电池换电网络。",
            "en": "Motorbike taxi drivers in our city want battery swapping stations for electric scooters instead of slow charging.",
            "vi": "Tài xế xe ôm công nghệ cần trạm đổi pin cho xe máy điện thay vì sạc chậm.",
            "th": "วินมอเตอร์ไซค์ต้องการสถานีสลับแบตเตอรี่สำหรับมอเตอร์ไซค์ไฟฟ้าแทนการชาร์จที่ช้า",
            "id": "Pengemudi ojek daring membutuhkan stasiun penukaran baterai untuk motor listrik.",
            "ms": "Penunggang penghantar makanan memerlukan stesen tukar bateri untuk motosikal elektrik.",
            "fil": "Kailangan ng mga tricycle at motor rider ng battery swapping station para sa electric motorsiklo.",
            "km": "អ្នករត់ម៉ូតូឌុបត្រូវការស្ថានីយ៍ប្តូរថ្មសម្រាប់ម៉ូតូអគ្គិសនី ជំនួសការសាកថ្មយឺត។",
            "lo": "ຄົນຂັບລົດຈັກຮັບຈ້າງຕ້ອງການສະຖານີປ່ຽນແບັດເຕີຣີສຳລັບລົດຈັກໄຟຟ້າ.",
            "my": "လျှပ်စစ်ဆိုင်ကယ်များအတွက် ဘက်ထရီလဲလှယ်ရေးစခန်း လိုအပ်သည်။",
        },
    },
    {
        "id": "telemedicine",
        "zh": (
            "基层远程医疗会诊与影像诊断平台",
            "连接县乡村三级医疗机构，支持远程会诊、AI辅助胸片与眼底筛查，在低带宽网络下可用，"
            "已覆盖广西边境县卫生院。",
        ),
        "demands": {
            "zh-hans": "边远乡镇医院缺医生，需要远程会诊和影像辅助诊断系统。",
            "en": "Rural clinics in our province lack specialists; we want a telemedicine platform with AI-assisted X-ray reading that works on slow internet.",
            "vi": "Trạm y tế vùng sâu thiếu bác sĩ chuyên khoa, cần nền tảng khám chữa bệnh từ xa và chẩn đoán hình ảnh AI.",
            "th": "โรงพยาบาลชนบทขาดแพทย์เฉพาะทาง ต้องการระบบการแพทย์ทางไกลและ AI ช่วยอ่านภาพเอกซเรย์",
            "id": "Puskesmas di daerah terpencil kekurangan dokter spesialis; kami butuh platform telemedisin dengan AI pembaca rontgen.",
            "ms": "Klinik luar bandar kekurangan pakar; kami perlukan platform teleperubatan dengan AI untuk membaca X-ray.",
            "fil": "Kulang sa espesyalista ang mga rural health unit; kailangan ng telemedicine platform na may AI para sa X-ray.",
            "km": "មណ្ឌលសុខភាពជនបទខ្វះគ្រូពេទ្យឯកទេស ត្រូវការវេទិកាព្យាបាលពីចម្ងាយ និង AI អានរូបភាពកាំរស្មីអ៊ិច។",
            "lo": "ສຸກສາລາຊົນນະບົດຂາດແພດຊ່ຽວຊານ ຕ້ອງການລະບົບການແພດທາງໄກ ແລະ AI ຊ່ວຍອ່ານຮູບເອັກຊະເຣ.",
            "my": "ကျေးလက်ဆေးခန်းများတွင် အထူးကုဆရာဝန်မရှိ၍ အဝေးမှ ဆေးကုသမှုစနစ်နှင့် AI ဓာတ်မှန်ဖတ်စနစ် လိုအပ်သည်။",
        },
    },
    {
        "id": "palm-oil-biogas",
        "zh": (
            "高浓度有机废水厌氧沼气发电技术",
            "采用高效厌氧反应器处理棕榈油厂、木薯淀粉厂等高浓度有机废水，COD去除率90%以上，"
            "沼气发电自用，减少甲烷排放。",
        ),
        "demands": {
            "zh-hans": "淀粉厂废水COD很高，希望厌氧处理产沼气发电。",
            "en": "Our palm oil mill effluent (POME) pollutes the river; we want anaerobic digestion to treat it and generate biogas power.",
            "vi": "Nước thải nhà máy tinh bột sắn có COD cao, muốn xử lý kỵ khí thu biogas để phát điện.",
            "th": "น้ำเสียโรงงานสกัดน้ำมันปาล์มมีค่า COD สูง ต้องการระบบบำบัดแบบไร้อากาศผลิตก๊าซชีวภาพเพื่อผลิตไฟฟ้า",
            "id": "Limbah cair pabrik kelapa sawit kami mencemari sungai; kami ingin pengolahan anaerob untuk menghasilkan biogas listrik.",
            "ms": "Efluen kilang minyak sawit kami mencemarkan sungai; kami mahu penghadaman anaerobik untuk menjana biogas.",
            "fil": "Kailangan namin ng anaerobic na paggamot ng maruming tubig ng pabrika para makagawa ng biogas at kuryente.",
            "km": "ទឹកកខ្វក់រោងចក្រម្សៅដំឡូងមីមាន COD ខ្ពស់ ចង់ប្រើប្រព័ន្ធព្យាបាលគ្មានអុកស៊ីសែន ដើម្បីផលិតជីវឧស្ម័ន។",
            "lo": "ນ້ຳເສຍໂຮງງານແປ້ງມັນຕົ້ນມີ COD ສູງ ຕ້ອງການບຳບັດແບບບໍ່ໃຊ້ອາກາດເພື່ອຜະລິດອາຍແກັສຊີວະພາບ.",
            "my": "စက်ရုံမှ အော်ဂဲနစ်ညစ်ညမ်းရေကို အောက်ဆီဂျင်မဲ့နည်းဖြင့် သန့်စင်ပြီး ဇီဝဓာတ်ငွေ့ လျှပ်စစ်ထုတ်လိုသည်။",
        },
    },
    {
        "id": "solar-desalination",
        "zh": (
            "海岛小型太阳能反渗透海水淡化装置",
            "集装箱式一体化设计，光伏直驱反渗透膜组，日产淡水20吨，能量回收降低能耗35%，"
            "无人值守远程运维，适合无电网海岛。",
        ),
        "demands": {
            "zh-hans": "海岛缺淡水又没有电网，需要太阳能海水淡化设备。",
            "en": "Our small islands have no grid power and no fresh water; we need a solar-powered seawater desalination unit.",
            "vi": "Đảo nhỏ không có điện lưới và thiếu nước ngọt, cần thiết bị lọc nước biển bằng năng lượng mặt trời.",
            "th": "เกาะเล็กไม่มีไฟฟ้าและขาดน้ำจืด ต้องการเครื่องผลิตน้ำจืดจากน้ำทะเลด้วยพลังงานแสงอาทิตย์",
            "id": "Pulau kecil kami tidak punya listrik PLN dan air tawar; kami butuh alat desalinasi air laut tenaga surya.",
            "ms": "Pulau kecil kami tiada bekalan elektrik dan air tawar; kami perlukan unit penyahgaraman air laut berkuasa solar.",
            "fil": "Walang kuryente at tubig-tabang sa aming maliit na isla; kailangan ng solar na desalination ng tubig-dagat.",
            "km": "កោះតូចៗគ្មានភ្លើង និងទឹកសាប ត្រូវការឧបករណ៍ចម្រោះទឹកសមុទ្រប្រើថាមពលព្រះអាទិត្យ។",
            "lo": "ເກາະນ້ອຍບໍ່ມີໄຟຟ້າ ແລະ ນ້ຳຈືດ ຕ້ອງການເຄື່ອງກັ່ນນ້ຳທະເລດ້ວຍພະລັງງານແສງຕາເວັນ.",
            "my": "ကျွန်းငယ်များတွင် လျှပ်စစ်နှင့် ရေချိုမရှိ၍ နေရောင်ခြည်စွမ်းအင်သုံး ပင်လယ်ရေချိုပြုစက် လိုအပ်သည်။",
        },
    },
    {
        "id": "dengue-mosquito",
        "zh": (
            "沃尔巴克氏体蚊虫不育防控登革热技术",
            "释放感染沃尔巴克氏体的雄性白纹伊蚊，使野外雌蚊卵不能孵化，试验区蚊媒密度下降90%以上，"
            "登革热传播风险显著降低。",
        ),
        "demands": {
            "zh-hans": "城市登革热高发，寻求不用杀虫剂的蚊媒防控技术。",
            "en": "Dengue fever cases are rising in our city; we are looking for mosquito control that does not rely on insecticide spraying.",
            "vi": "Sốt xuất huyết gia tăng, cần công nghệ kiểm soát muỗi truyền bệnh không dùng thuốc diệt côn trùng.",
            "th": "ไข้เลือดออกระบาดในเมือง ต้องการเทคโนโลยีควบคุมยุงพาหะโดยไม่ใช้ยาฆ่าแมลง",
            "id": "Kasus demam berdarah dengue meningkat; kami mencari teknologi pengendalian nyamuk tanpa insektisida.",
            "ms": "Kes denggi meningkat di bandar kami; kami mencari kaedah kawalan nyamuk tanpa racun serangga.",
            "fil": "Dumarami ang kaso ng dengue; naghahanap kami ng paraan ng pagkontrol ng lamok na walang insecticide.",
            "km": "ជំងឺគ្រុនឈាមកើនឡើង ត្រូវការបច្ចេកវិទ្យាកំចាត់មូសដោយមិនប្រើថ្នាំសម្លាប់សត្វល្អិត។",
            "lo": "ພະຍາດໄຂ້ເລືອດອອກເພີ່ມຂຶ້ນ ຕ້ອງການເຕັກໂນໂລຊີຄວບຄຸມຍຸງໂດຍບໍ່ໃຊ້ຢາຂ້າແມງໄມ້.",
            "my": "သွေးလွန်တုပ်ကွေးရောဂါ တိုးပွားလာ၍ ပိုးသတ်ဆေးမသုံးဘဲ ခြင်ထိန်းချုပ်ရေး နည်းပညာ ရှာဖွေနေသည်။",
        },
    },
]
