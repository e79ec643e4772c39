"""The realistic evaluation's demands (issue 11): what an ASEAN enterprise, cooperative or agency would write
into the market's demand form, in its own language, written fresh for this set (not translated or derived from
the achievements' Chinese text): the situation, the scale, the problem, what is wanted. Each names the one
achievement in `realistic_listings.py` that answers it."""

DEMANDS = {
    "vi": [
        (
            "jackfruit-freeze-dry",
            "Hợp tác xã chúng tôi ở Đồng Nai có 200 ha mít Thái, mùa thu hoạch giá mít xuống rất thấp. Chúng tôi "
            "muốn làm mít sấy giòn không chiên dầu để bán cho siêu thị và xuất khẩu, cần công nghệ và thiết bị "
            "sấy giữ được màu vàng và mùi thơm của mít.",
        ),
        (
            "cocoa-fermentation",
            "Chúng tôi thu mua hạt ca cao của nông dân Bến Tre nhưng chất lượng không đều, nhiều hạt bị mốc và "
            "vị chát. Cần quy trình ủ lên men và phơi sấy hạt ca cao chuẩn để bán cho nhà máy sô cô la.",
        ),
        (
            "palm-efb-fertilizer",
            "Nhà máy ép dầu cọ của chúng tôi thải ra hàng nghìn tấn buồng quả rỗng mỗi năm, hiện chất đống và đốt "
            "gây khói. Chúng tôi tìm công nghệ ủ thành phân bón hữu cơ vi sinh để bón lại cho vườn cọ.",
        ),
        (
            "banana-fiber",
            "Sau mỗi vụ chuối, thân cây chuối bị bỏ lại ngoài ruộng rất nhiều. Doanh nghiệp thủ công mỹ nghệ của "
            "chúng tôi muốn tách sợi từ thân chuối để dệt vải và làm túi xách, cần máy tách sợi và cách xử lý sợi.",
        ),
        (
            "rice-dryer-biomass",
            "Mùa mưa ở đồng bằng sông Cửu Long lúa gặt về không phơi được, bị nảy mầm và mốc. Chúng tôi cần máy sấy "
            "lúa công suất khoảng 10 tấn mỗi mẻ, dùng trấu làm chất đốt để giảm chi phí, hạt gạo không bị gãy.",
        ),
        (
            "soybean-intercrop",
            "Tỉnh chúng tôi muốn tăng sản lượng đậu nành mà không giảm diện tích trồng ngô. Chúng tôi tìm mô hình "
            "trồng xen ngô và đậu nành theo băng cùng máy gieo và máy thu hoạch phù hợp.",
        ),
        (
            "vegetable-hydroponics",
            "Công ty chúng tôi muốn xây trang trại rau thủy canh gần TP. Hồ Chí Minh để cung cấp xà lách và rau "
            "muống sạch quanh năm. Khí hậu nóng ẩm làm rau hay bị úng, cần hệ thống thủy canh có làm mát dung dịch.",
        ),
        (
            "biochar-kiln",
            "Xưởng gỗ và vườn điều của chúng tôi có nhiều mùn cưa, vỏ hạt điều và cành cây. Chúng tôi muốn đốt yếm "
            "khí thành than sinh học để cải tạo đất, cần lò than hóa di động hoạt động liên tục.",
        ),
        (
            "duck-rice-coculture",
            "Hợp tác xã muốn sản xuất gạo hữu cơ không dùng thuốc diệt cỏ và thuốc trừ sâu. Chúng tôi quan tâm đến "
            "mô hình thả vịt trong ruộng lúa để vịt ăn cỏ và sâu, cần hướng dẫn kỹ thuật mật độ thả và quản lý.",
        ),
        (
            "grouper-hatchery",
            "Người nuôi cá lồng ở Khánh Hòa thiếu con giống cá mú, phải nhập giống đánh bắt tự nhiên nên không ổn "
            "định. Chúng tôi cần chuyển giao kỹ thuật sinh sản nhân tạo và ương giống cá mú.",
        ),
        (
            "oyster-depuration",
            "Chúng tôi nuôi hàu ở Quảng Ninh và muốn đưa hàu sống vào siêu thị và xuất khẩu, nhưng hàu bị nhiễm vi "
            "khuẩn và chỉ giữ được vài ngày. Cần hệ thống làm sạch hàu và bảo quản lạnh kéo dài thời gian bán.",
        ),
        (
            "electric-boat",
            "Khu du lịch trên sông của chúng tôi dùng thuyền máy dầu gây ồn và váng dầu trên mặt nước. Chúng tôi "
            "muốn chuyển sang thuyền chạy điện bằng pin, chạy được cả ngày, cần hệ thống động cơ điện cho thuyền.",
        ),
        (
            "snakebite-antivenom",
            "Các bệnh viện huyện vùng núi của tỉnh chúng tôi thường tiếp nhận người bị rắn độc cắn nhưng thiếu "
            "huyết thanh và bác sĩ không nhận biết được loài rắn. Cần huyết thanh kháng nọc rắn đa giá và quy trình "
            "cấp cứu.",
        ),
    ],
    "th": [
        (
            "mango-pulp-aseptic",
            "บริษัทของเราอยู่ฉะเชิงเทรา รับซื้อมะม่วงจากเกษตรกรช่วงที่ผลผลิตล้นตลาด ต้องการเทคโนโลยีผลิตเนื้อมะม่วงบด"
            "บรรจุแบบปลอดเชื้อในถุงใหญ่ เก็บได้นานเป็นปีเพื่อขายให้โรงงานเครื่องดื่มและเบเกอรี่",
        ),
        (
            "pepper-root-rot",
            "สวนพริกไทยของสมาชิกสหกรณ์ในจันทบุรีเป็นโรครากเน่าโคนเน่า ต้นเหี่ยวตายเป็นจำนวนมากทุกฤดูฝน "
            "เราต้องการวิธีป้องกันกำจัดโรคที่ได้ผล เช่น ต้นตอทนโรคหรือเชื้อราปฏิปักษ์",
        ),
        (
            "coconut-coir",
            "โรงงานของเรามีเปลือกมะพร้าวเหลือทิ้งวันละหลายตัน ต้องการเครื่องแยกใยมะพร้าวเพื่อทำที่นอนและตาข่ายกันดิน"
            "พังทลาย และนำขุยมะพร้าวไปทำวัสดุเพาะกล้า",
        ),
        (
            "cassava-harvester",
            "เกษตรกรไร่มันสำปะหลังในนครราชสีมาขาดแรงงานถอนหัวมัน ค่าจ้างแพงขึ้นทุกปี เราต้องการเครื่องขุดหัวมันที่"
            "ต่อพ่วงกับรถแทรกเตอร์ได้ หัวมันไม่ขาดค้างในดิน",
        ),
        (
            "rice-direct-seeding",
            "ชาวนาในภาคกลางปักดำไม่ไหวเพราะแรงงานขาด แต่หว่านข้าวแล้วต้นขึ้นไม่สม่ำเสมอและใช้เมล็ดมาก "
            "ต้องการเครื่องหยอดเมล็ดข้าวเป็นหลุมที่ประหยัดเมล็ดพันธุ์",
        ),
        (
            "peanut-aflatoxin",
            "ผู้ส่งออกถั่วลิสงของเราถูกตีกลับสินค้าเพราะพบสารอะฟลาท็อกซินเกินมาตรฐาน ต้องการวิธีลดการปนเปื้อน"
            "ตั้งแต่การตากแห้งและการเก็บรักษา รวมทั้งชุดตรวจอย่างรวดเร็วที่โกดัง",
        ),
        (
            "greenhouse-tropical",
            "ฟาร์มผักของเราอยู่ชายทะเลภาคใต้ โรงเรือนพังเพราะพายุหลายครั้ง และข้างในร้อนเกินไปในหน้าร้อน "
            "ต้องการโรงเรือนโครงเหล็กที่ทนลมแรงพร้อมระบบทำความเย็น",
        ),
        (
            "pig-asf-disinfection",
            "ฟาร์มหมูขนาดกลางในราชบุรีกลัวโรคอหิวาต์แอฟริกาในสุกรระบาด ต้องการระบบความปลอดภัยทางชีวภาพ "
            "การฆ่าเชื้อรถและคนที่เข้าออกฟาร์ม และการตรวจโรคได้เร็ว",
        ),
        (
            "cattle-fattening-tmr",
            "กลุ่มเลี้ยงโคขุนในอุดรธานีต้องการลดต้นทุนอาหารข้น โดยใช้ยอดอ้อย กากมันสำปะหลังและต้นข้าวโพดที่มีในท้องถิ่น "
            "ต้องการสูตรอาหารผสมครบส่วนที่ทำให้วัวโตเร็วขึ้น",
        ),
        (
            "fish-sauce-fast",
            "โรงงานน้ำปลาของเราหมักปลากะตักในบ่อนานกว่าหนึ่งปี ใช้พื้นที่มากและเงินทุนจม ต้องการเทคโนโลยีที่ทำให้"
            "หมักเร็วขึ้นและลดความเค็ม โดยรสชาติยังเหมือนน้ำปลาแท้",
        ),
        (
            "rural-water-purifier",
            "หมู่บ้านในพื้นที่สูงของจังหวัดน่านใช้น้ำจากลำห้วยซึ่งขุ่นในหน้าฝน อบต. ต้องการเครื่องผลิตน้ำประปาขนาดเล็ก"
            "ที่ดูแลง่ายและได้น้ำดื่มสะอาดตามมาตรฐาน",
        ),
        (
            "herbal-quality-control",
            "บริษัทผลิตยาสมุนไพรของเรานำเข้าวัตถุดิบสมุนไพรจากหลายแหล่ง บางครั้งได้ของปลอมหรือคุณภาพต่ำ "
            "ต้องการวิธีตรวจพิสูจน์เอกลักษณ์และแหล่งที่มาของสมุนไพรในห้องปฏิบัติการ",
        ),
    ],
    "id": [
        (
            "mango-anthracnose",
            "Petani mangga di Probolinggo banyak mengalami buah busuk dengan bercak hitam setelah panen, sehingga "
            "ekspor ditolak. Kami mencari teknologi pengendalian penyakit antraknosa yang ramah lingkungan dan "
            "perlakuan pascapanen yang sederhana.",
        ),
        (
            "rubber-tapping-robot",
            "Perkebunan karet kami di Sumatera Selatan kekurangan penyadap, banyak pohon tidak disadap dan "
            "produksi lateks turun. Kami tertarik dengan mesin atau robot sadap otomatis yang bisa bekerja malam "
            "hari tanpa merusak kulit batang.",
        ),
        (
            "coconut-water",
            "Kami ingin memproduksi air kelapa kemasan yang rasanya tetap segar seperti baru dibuka, tanpa "
            "pemanasan. Butuh teknologi pengawetan dingin dan mesin pembuka kelapa otomatis untuk pabrik di "
            "Sulawesi Utara.",
        ),
        (
            "cassava-leaf-feed",
            "Peternak sapi dan kambing di Lampung kekurangan pakan hijauan di musim kemarau, sementara daun "
            "singkong terbuang saat panen. Kami membutuhkan cara mengolah daun singkong menjadi silase pakan yang "
            "aman dan tinggi protein.",
        ),
        (
            "rice-blast-forecast",
            "Dinas pertanian kabupaten kami ingin memberi peringatan dini kepada petani sebelum penyakit blas "
            "menyerang padi, supaya penyemprotan tepat waktu. Kami mencari sistem prediksi penyakit berbasis data "
            "cuaca yang mengirim pesan ke ponsel.",
        ),
        (
            "cashew-shelling",
            "Koperasi jambu mete di Nusa Tenggara Timur masih mengupas gelondong mete dengan tangan, lambat dan "
            "tangan pekerja luka terkena getah kulit. Kami butuh mesin pengupas mete yang hasilnya banyak biji utuh.",
        ),
        (
            "fertigation-controller",
            "Kebun jeruk dan sayuran kami seluas 50 hektare menyiram dan memupuk secara manual. Kami ingin sistem "
            "irigasi tetes dengan pemupukan otomatis yang bisa dikendalikan dari ponsel dan menghemat air.",
        ),
        (
            "pig-manure-biogas",
            "Peternakan babi kami di Bali dengan 5.000 ekor dikeluhkan warga karena bau dan limbah kotoran. "
            "Kami mencari teknologi mengolah kotoran menjadi biogas untuk pembangkit listrik dan pupuk.",
        ),
        (
            "goat-breeding",
            "Kelompok peternak kambing di Jawa Tengah ingin memperbaiki mutu kambing lokal yang kecil. Kami "
            "membutuhkan pelatihan inseminasi buatan dan pasokan semen beku dari pejantan unggul.",
        ),
        (
            "fish-processing-byproduct",
            "Pabrik fillet ikan nila kami menghasilkan banyak kulit dan sisik yang selama ini dibuang. Kami ingin "
            "mengolahnya menjadi kolagen untuk produk kesehatan dan kosmetik, perlu teknologi prosesnya.",
        ),
        (
            "rural-sewage-wetland",
            "Desa wisata kami di Yogyakarta belum punya pengolahan limbah rumah tangga, air limbah mengalir ke "
            "sungai. Kami mencari cara pengolahan yang murah, tanpa listrik banyak, dan tetap indah dipandang.",
        ),
        (
            "coffee-leaf-rust",
            "Kebun kopi arabika petani di Aceh Tengah diserang karat daun, daun rontok dan hasil panen turun "
            "separuh. Kami mencari varietas kopi yang tahan karat daun dan cara pengendalian terpadu.",
        ),
    ],
    "ms": [
        (
            "durian-pollination",
            "Kebun durian Musang King kami di Pahang mempunyai kadar buah jadi yang rendah walaupun pokok berbunga "
            "lebat. Kami mencari kaedah pendebungaan berbantu pada waktu malam dan pengurusan bunga supaya hasil "
            "meningkat.",
        ),
        (
            "rubber-wood-modification",
            "Syarikat perabot kami menggunakan kayu getah daripada ladang yang ditebang semula, tetapi kayu mudah "
            "diserang kulat biru dan anai-anai. Kami perlukan teknologi rawatan pengawetan dan haba untuk kayu getah.",
        ),
        (
            "pineapple-bromelain",
            "Kilang nanas kami di Johor membuang banyak kulit dan empulur nanas setiap hari. Kami ingin mengekstrak "
            "enzim daripada sisa ini untuk dijual kepada industri daging dan farmaseutikal.",
        ),
        (
            "rice-straw-mushroom-substrate",
            "Petani padi di Kedah membakar jerami selepas menuai dan menyebabkan jerebu. Kami ingin menggunakan "
            "jerami sebagai media menanam cendawan butang, perlukan formula kompos dan teknologi penapaian.",
        ),
        (
            "brown-planthopper",
            "Sawah di kawasan MADA diserang teruk oleh bena perang, petani menyembur racun berkali-kali tetapi "
            "serangan tetap berulang. Kami mencari varieti padi yang tahan bena perang dan kaedah kawalan ekologi.",
        ),
        (
            "tea-machine-picking",
            "Ladang teh kami di Cameron Highlands kekurangan pemetik daun teh. Kami mencari mesin memetik pucuk teh "
            "yang boleh mengenal pasti pucuk muda supaya kualiti teh tidak terjejas.",
        ),
        (
            "soil-cadmium",
            "Ujian makmal menunjukkan beras dari beberapa sawah kami mengandungi kadmium melebihi had. Kami "
            "memerlukan kaedah pemulihan tanah sawah yang tercemar logam berat supaya beras selamat dimakan.",
        ),
        (
            "chicken-vaccine-ndv",
            "Penternak ayam kampung di Kelantan kerap kehilangan ayam akibat penyakit sampar ayam dan selesema "
            "burung. Kami mahu vaksin gabungan yang mudah disimpan dan cukup sekali suntikan.",
        ),
        (
            "fish-feed-extruded",
            "Kos makanan ikan tilapia dalam sangkar kami di Tasik Kenyir terlalu tinggi kerana harga tepung ikan. "
            "Kami mencari formula makanan terapung yang kurang tepung ikan tetapi pertumbuhan ikan tetap baik.",
        ),
        (
            "solar-pump-irrigation",
            "Ladang sayur kami di pedalaman Sabah tiada bekalan elektrik dan kos diesel untuk pam air sangat mahal. "
            "Kami memerlukan sistem pam air tenaga suria untuk pengairan dan air minuman ternakan.",
        ),
        (
            "plastic-pyrolysis",
            "Majlis daerah kami di Pulau Langkawi menghadapi timbunan sisa plastik yang tidak boleh dikitar "
            "semula. Kami mencari teknologi menukar sisa plastik kepada minyak bahan api secara selamat.",
        ),
    ],
    "fil": [
        (
            "jackfruit-freeze-dry",
            "Ang aming kooperatiba sa Quezon ay may maraming langka na nasasayang tuwing anihan. Gusto naming "
            "gumawa ng malutong na pinatuyong langka na hindi pinirito para sa export, kaya kailangan namin ng "
            "teknolohiya ng freeze drying.",
        ),
        (
            "coffee-wet-processing",
            "Ang mga magsasaka ng kape sa Benguet ay nagbebenta lang ng murang bunga dahil walang maayos na "
            "pagproseso. Kailangan namin ng makina sa pagbabalat ng bunga ng kape at kontroladong permentasyon "
            "para gumanda ang lasa at tumaas ang presyo.",
        ),
        (
            "palm-efb-fertilizer",
            "Ang aming palm oil mill sa Agusan ay may tambak ng walang lamang bungkos ng prutas ng palma. Naghahanap "
            "kami ng paraan para gawin itong organikong pataba sa pamamagitan ng composting at ibalik sa plantasyon.",
        ),
        (
            "pineapple-harvester",
            "Sa aming taniman ng pinya sa Bukidnon, mabigat at mabagal ang pagbubuhat ng mga inaning pinya palabas "
            "ng bukid. Naghahanap kami ng makinang may conveyor para mapabilis ang pag-aani at pagkakarga.",
        ),
        (
            "rice-dryer-biomass",
            "Tuwing tag-ulan, nabubulok at nagkakaroon ng amag ang palay ng mga magsasaka sa Nueva Ecija dahil "
            "walang mapagpatuyuan. Kailangan namin ng dryer ng palay na ipa ang gamit na panggatong.",
        ),
        (
            "maize-fall-armyworm",
            "Malaki ang pinsala ng fall armyworm sa mga mais sa Isabela ngayong taon. Naghahanap ang aming "
            "tanggapan ng pinagsamang paraan ng pagsubaybay at pagkontrol sa peste na hindi lang umaasa sa kemikal.",
        ),
        (
            "vegetable-hydroponics",
            "Gusto naming magtayo ng hydroponic na taniman ng lettuce at kangkong sa Metro Manila para sa mga "
            "restawran. Masyadong mainit ang tubig sa ating klima, kaya kailangan namin ng sistemang may pagpapalamig.",
        ),
        (
            "acid-soil-amendment",
            "Ang lupa ng aming mga sakahan ng tubó sa Negros ay napakaasim kaya bumababa ang ani. Naghahanap kami "
            "ng soil conditioner na magpapataas ng pH at magpapabuti sa lupa.",
        ),
        (
            "duck-rice-coculture",
            "Gusto ng aming grupo ng mga magsasaka na magtanim ng organikong bigas. Interesado kami sa pag-aalaga ng "
            "pato sa palayan para kainin ng mga pato ang damo at insekto, kailangan namin ng gabay.",
        ),
        (
            "pond-aeration-iot",
            "Madalas mamatay ang mga isda sa aming palaisdaan sa Pampanga tuwing madaling-araw dahil kulang sa "
            "oxygen ang tubig. Kailangan namin ng sensor na nagbabantay sa tubig at awtomatikong nagpapaandar ng "
            "aerator.",
        ),
        (
            "solar-cold-room",
            "Ang mga mangingisda sa isang isla sa Palawan ay walang kuryente para palamigin ang huli nilang isda at "
            "gulay. Naghahanap kami ng maliit na cold storage na pinapagana ng solar at hindi nakakabit sa grid.",
        ),
        (
            "construction-waste-brick",
            "Dumarami ang basura mula sa giniba at bagong gusali sa aming lungsod. Naghahanap ang pamahalaang "
            "lungsod ng teknolohiya para gawing hollow blocks at materyales sa kalsada ang mga debris na ito.",
        ),
    ],
    "km": [
        (
            "mango-pulp-aseptic",
            "សហគមន៍កសិករដាំស្វាយនៅខេត្តកំពង់ស្ពឺ មានស្វាយច្រើនពេកនៅរដូវប្រមូលផល ហើយតម្លៃធ្លាក់ចុះខ្លាំង។ "
            "យើងចង់កែច្នៃសាច់ស្វាយកិនទុកបានយូរ ដើម្បីលក់ទៅរោងចក្រភេសជ្ជៈ ត្រូវការបច្ចេកវិទ្យា និងខ្សែសង្វាក់ផលិតកម្ម។",
        ),
        (
            "cocoa-fermentation",
            "កសិករនៅខេត្តមណ្ឌលគិរីចាប់ផ្ដើមដាំកាកាវ ប៉ុន្តែមិនដឹងពីរបៀបផ្អាប់ និងសម្ងួតគ្រាប់កាកាវឲ្យបានគុណភាពល្អ។ "
            "យើងត្រូវការបច្ចេកទេស និងការបណ្តុះបណ្តាល ដើម្បីលក់ឲ្យរោងចក្រសូកូឡា។",
        ),
        (
            "coconut-coir",
            "រោងចក្រយើងនៅខេត្តកំពត មានសំបកដូងបោះចោលរាប់តោនរៀងរាល់ថ្ងៃ។ យើងចង់បានម៉ាស៊ីនយកសរសៃសំបកដូង "
            "ដើម្បីធ្វើពូក និងយកកម្ទេចសំបកដូងធ្វើដីដាំកូនឈើ។",
        ),
        (
            "banana-fiber",
            "ក្រោយពេលកាប់ចេក ដើមចេកនៅសល់ក្នុងចម្ការច្រើនណាស់។ សហគមន៍សិប្បកម្មរបស់យើងចង់យកសរសៃពីដើមចេក "
            "មកត្បាញក្រណាត់ និងធ្វើកាបូប ត្រូវការម៉ាស៊ីន និងវិធីសម្អាតសរសៃ។",
        ),
        (
            "rice-direct-seeding",
            "កសិករដាំស្រូវនៅខេត្តបាត់ដំបងខ្វះកម្លាំងពលកម្មសម្រាប់ស្ទូង ហើយការព្រោះធម្មតាខាតពូជច្រើន។ "
            "យើងត្រូវការម៉ាស៊ីនសាបគ្រាប់ពូជស្រូវជាជួរ ដែលសន្សំពូជ និងពេលវេលា។",
        ),
        (
            "soybean-intercrop",
            "ក្រសួងកសិកម្មខេត្តចង់បង្កើនផលិតកម្មសណ្ដែកសៀង ដោយមិនកាត់បន្ថយផ្ទៃដីដាំពោត។ យើងកំពុងស្វែងរក"
            "វិធីដាំពោត និងសណ្ដែកសៀងជាជួរឆ្លាស់គ្នា ព្រមទាំងម៉ាស៊ីនសាប និងម៉ាស៊ីនប្រមូលផល។",
        ),
        (
            "greenhouse-tropical",
            "កសិដ្ឋានបន្លែរបស់យើងនៅជិតសមុទ្រ ផ្ទះដាំដំណាំត្រូវខ្យល់ព្យុះបំផ្លាញ ហើយខាងក្នុងក្តៅពេកនៅរដូវក្តៅ។ "
            "យើងត្រូវការផ្ទះកញ្ចក់រចនាសម្ព័ន្ធដែកធន់នឹងខ្យល់ខ្លាំង និងមានប្រព័ន្ធបញ្ចុះកម្ដៅ។",
        ),
        (
            "biochar-kiln",
            "យើងមានអង្កាម សំបកស្វាយចន្ទី និងកម្ទេចឈើច្រើន។ យើងចង់ដុតវាជាធ្យូងជីវៈ ដើម្បីកែលម្អដីស្រែ "
            "ត្រូវការឡដុតធ្យូងចល័តដែលដំណើរការជាប់ៗគ្នា។",
        ),
        (
            "cattle-fattening-tmr",
            "ក្រុមចិញ្ចឹមគោសាច់នៅខេត្តតាកែវ ចំណាយថ្លៃចំណីខ្ពស់ពេក។ យើងចង់ប្រើកាកដំឡូងមី ចុងអំពៅ និងដើមពោតក្នុងស្រុក "
            "ធ្វើរូបមន្តចំណីលាយ ដើម្បីឲ្យគោលូតលាស់លឿន។",
        ),
        (
            "grouper-hatchery",
            "កសិករចិញ្ចឹមត្រីក្នុងទ្រុងនៅខេត្តព្រះសីហនុ ខ្វះកូនត្រីកែងពូជ ហើយត្រូវពឹងលើកូនត្រីចាប់ពីធម្មជាតិ។ "
            "យើងត្រូវការការផ្ទេរបច្ចេកទេសបង្កាត់ពូជ និងភ្ញាស់កូនត្រីកែង។",
        ),
        (
            "micro-hydro",
            "ភូមិរបស់យើងនៅខេត្តរតនគិរីមិនទាន់មានអគ្គិសនីពីបណ្ដាញជាតិ ប៉ុន្តែមានអូរទឹកហូរពីភ្នំពេញមួយឆ្នាំ។ "
            "យើងចង់បានម៉ាស៊ីនភ្លើងវារីអគ្គិសនីខ្នាតតូច ដែលអ្នកភូមិអាចថែទាំខ្លួនឯងបាន។",
        ),
        (
            "earthquake-house",
            "អង្គការរបស់យើងសាងសង់ផ្ទះសម្រាប់គ្រួសារក្រីក្រនៅតំបន់ភ្នំ។ យើងត្រូវការប្រព័ន្ធផ្ទះដែកស្រាល "
            "ដែលសង់បានលឿន រឹងមាំ ធន់នឹងរញ្ជួយដី និងត្រជាក់នៅខាងក្នុង។",
        ),
    ],
    "lo": [
        (
            "mango-anthracnose",
            "ຊາວສວນໝາກມ່ວງຢູ່ແຂວງຈຳປາສັກ ພົບບັນຫາໝາກມ່ວງເກີດຈຸດດຳແລະເນົ່າຫຼັງເກັບກ່ຽວ ສົ່ງອອກບໍ່ໄດ້. "
            "ພວກເຮົາຕ້ອງການວິທີປ້ອງກັນພະຍາດແອນແທຣກໂນສທີ່ບໍ່ໃຊ້ສານເຄມີຫຼາຍ ແລະ ການຈັດການຫຼັງເກັບກ່ຽວ.",
        ),
        (
            "pepper-root-rot",
            "ສວນພິກໄທຂອງກຸ່ມຊາວກະສິກອນຢູ່ພູພຽງບໍລະເວນ ເປັນພະຍາດຮາກເນົ່າ ຕົ້ນຫ່ຽວຕາຍຫຼາຍທຸກລະດູຝົນ. "
            "ພວກເຮົາຊອກຫາວິທີປ້ອງກັນແລະກຳຈັດພະຍາດແບບປະສົມປະສານ.",
        ),
        (
            "coconut-water",
            "ບໍລິສັດຂອງພວກເຮົາຢາກຜະລິດນ້ຳໝາກພ້າວບັນຈຸຂວດທີ່ຍັງມີລົດຊາດສົດຄືເປີດໃໝ່ ໂດຍບໍ່ຕົ້ມດ້ວຍຄວາມຮ້ອນ. "
            "ຕ້ອງການເຕັກໂນໂລຊີກອງເຢັນແລະເຄື່ອງເປີດໝາກພ້າວອັດຕະໂນມັດ.",
        ),
        (
            "cassava-harvester",
            "ຊາວກະສິກອນປູກມັນຕົ້ນຢູ່ແຂວງສະຫວັນນະເຂດຂາດແຮງງານຖອນມັນ ແລະ ຄ່າແຮງສູງຂຶ້ນທຸກປີ. "
            "ພວກເຮົາຕ້ອງການເຄື່ອງຂຸດຫົວມັນທີ່ຕໍ່ກັບລົດໄຖນາໄດ້.",
        ),
        (
            "rice-blast-forecast",
            "ກະຊວງກະສິກຳຢາກແຈ້ງເຕືອນຊາວນາລ່ວງໜ້າກ່ອນພະຍາດໃບໄໝ້ຂອງເຂົ້າຈະລະບາດ ເພື່ອໃຫ້ສີດຢາທັນເວລາ. "
            "ພວກເຮົາຊອກຫາລະບົບພະຍາກອນພະຍາດຈາກຂໍ້ມູນອາກາດທີ່ສົ່ງຂໍ້ຄວາມຫາໂທລະສັບ.",
        ),
        (
            "peanut-aflatoxin",
            "ຖົ່ວດິນທີ່ພວກເຮົາສົ່ງອອກຖືກສົ່ງຄືນ ເພາະກວດພົບສານອາຟລາທອກຊິນເກີນມາດຕະຖານ. ພວກເຮົາຕ້ອງການວິທີຫຼຸດ"
            "ການປົນເປື້ອນໃນການຕາກແຫ້ງແລະເກັບຮັກສາ ແລະ ຊຸດກວດໄວຢູ່ສາງ.",
        ),
        (
            "fertigation-controller",
            "ສວນໝາກໄມ້ແລະຜັກຂອງພວກເຮົາ 30 ເຮັກຕາ ຍັງຫົດນ້ຳແລະໃສ່ຝຸ່ນດ້ວຍມື. ພວກເຮົາຢາກໄດ້ລະບົບນ້ຳຢອດພ້ອມ"
            "ໃສ່ຝຸ່ນອັດຕະໂນມັດ ທີ່ຄວບຄຸມຜ່ານໂທລະສັບໄດ້.",
        ),
        (
            "pig-asf-disinfection",
            "ຟາມລ້ຽງໝູຂະໜາດກາງຢູ່ນະຄອນຫຼວງວຽງຈັນ ຢ້ານພະຍາດອະຫິວາໝູອາຟຣິກາລະບາດ. ພວກເຮົາຕ້ອງການລະບົບປ້ອງກັນ"
            "ທາງຊີວະພາບ ການຂ້າເຊື້ອລົດແລະຄົນທີ່ເຂົ້າອອກຟາມ.",
        ),
        (
            "goat-breeding",
            "ກຸ່ມລ້ຽງແບ້ຢູ່ແຂວງຫຼວງພະບາງຢາກປັບປຸງແນວພັນແບ້ພື້ນເມືອງທີ່ໂຕນ້ອຍ. ພວກເຮົາຕ້ອງການຝຶກອົບຮົມການປະສົມ"
            "ທຽມ ແລະ ນ້ຳເຊື້ອແຊ່ແຂງຈາກພໍ່ພັນດີ.",
        ),
        (
            "sea-cucumber-pond",
            "ບໍລິສັດລົງທຶນຂອງພວກເຮົາຢາກລ້ຽງປີງທະເລໃນໜອງຢູ່ເຂດຊາຍຝັ່ງຂອງປະເທດເພື່ອນບ້ານ ແຕ່ນ້ຳຮ້ອນເກີນໄປ. "
            "ຕ້ອງການເຕັກນິກການລ້ຽງປີງທະເລໃນເຂດຮ້ອນ.",
        ),
        (
            "biomass-gasifier",
            "ໂຮງສີເຂົ້າຂອງພວກເຮົາຢູ່ແຂວງຄຳມ່ວນມີແກບເຂົ້າຫຼາຍ ແລະ ຄ່າໄຟຟ້າແພງ. ພວກເຮົາຢາກໃຊ້ແກບເຂົ້າຜະລິດໄຟຟ້າໃຊ້ເອງໃນໂຮງສີ.",
        ),
        (
            "bamboo-building",
            "ພວກເຮົາກຳລັງສ້າງຣີສອດທ່ອງທ່ຽວແບບທຳມະຊາດຢູ່ວັງວຽງ ແລະ ຢາກໃຊ້ໄມ້ໄຜ່ເປັນວັດສະດຸກໍ່ສ້າງຫຼັກ. "
            "ຕ້ອງການເຕັກໂນໂລຊີອາຄານໂຄງສ້າງໄມ້ໄຜ່ທີ່ແຂງແຮງແລະທົນແມງ.",
        ),
    ],
    "my": [
        (
            "durian-pollination",
            "မွန်ပြည်နယ်ရှိ ကျွန်ုပ်တို့၏ ဒူးရင်းခြံတွင် ပန်းများစွာပွင့်သော်လည်း အသီးတင်နှုန်းနည်းသည်။ "
            "ညဘက်တွင် လူကိုယ်တိုင်ဝတ်မှုန်ကူးပေးခြင်းနှင့် အသီးမကြွေစေရန် နည်းပညာကို လိုအပ်ပါသည်။",
        ),
        (
            "rubber-tapping-robot",
            "ကျွန်ုပ်တို့၏ ရော်ဘာခြံတွင် ရော်ဘာစေးခြစ်သမား ရှားပါးလာပြီး အပင်များစွာ မခြစ်နိုင်တော့ပါ။ "
            "ညဘက်တွင် အလိုအလျောက် ရော်ဘာခြစ်ပေးနိုင်သော စက်ရုပ်ကို ရှာဖွေနေပါသည်။",
        ),
        (
            "pineapple-bromelain",
            "ကျွန်ုပ်တို့၏ နာနတ်သီးစည်သွတ်စက်ရုံမှ နာနတ်ခွံနှင့် အူတိုင်များကို နေ့စဉ် စွန့်ပစ်နေရသည်။ "
            "ယင်းစွန့်ပစ်ပစ္စည်းမှ အင်ဇိုင်းကို ထုတ်ယူ၍ ရောင်းချနိုင်မည့် နည်းပညာကို လိုချင်ပါသည်။",
        ),
        (
            "cassava-leaf-feed",
            "ကျွန်ုပ်တို့ဒေသတွင် ပီလောပီနံရွက်များကို ရိတ်သိမ်းချိန်၌ စွန့်ပစ်ကြပြီး နွေရာသီတွင် နွားအစာ ပြတ်လပ်သည်။ "
            "ပီလောပီနံရွက်ကို ဘေးကင်းပြီး ပရိုတင်းများသော အစာအဖြစ် ပြုလုပ်နည်းကို လိုအပ်ပါသည်။",
        ),
        (
            "brown-planthopper",
            "ဧရာဝတီတိုင်းရှိ စပါးခင်းများတွင် ဖြိုက်ညိုပိုး ကျရောက်မှု ပြင်းထန်ပြီး ပိုးသတ်ဆေး ဖျန်းသော်လည်း "
            "မပျောက်ပါ။ ပိုးဒဏ်ခံနိုင်သော စပါးမျိုးနှင့် ဂေဟစနစ်ဖြင့် ထိန်းချုပ်နည်းကို ရှာဖွေနေပါသည်။",
        ),
        (
            "cashew-shelling",
            "ကျွန်ုပ်တို့၏ သီဟိုဠ်စေ့ အသင်းသည် အခွံကို လက်ဖြင့်ခွာနေရပြီး နှေးကွေးကာ အလုပ်သမားများ လက်ပေါက်ပြဲသည်။ "
            "အစေ့ကောင်းများ များများရစေသော သီဟိုဠ်စေ့ အခွံခွာစက်ကို လိုအပ်ပါသည်။",
        ),
        (
            "soil-cadmium",
            "ကျွန်ုပ်တို့ လယ်မြေမှ ဆန်တွင် ကက်ဒမီယမ် သတ္တုဓာတ် စံချိန်ထက်ကျော်လွန်နေကြောင်း စစ်ဆေးတွေ့ရှိသည်။ "
            "ညစ်ညမ်းနေသော လယ်မြေကို ပြန်လည်ကုစားပြီး ဘေးကင်းသော ဆန်ထုတ်လုပ်နိုင်မည့်နည်းကို လိုအပ်ပါသည်။",
        ),
        (
            "pig-manure-biogas",
            "ကျွန်ုပ်တို့၏ ဝက်မွေးမြူရေးခြံတွင် ဝက် ၃၀၀၀ ရှိပြီး ရွာသားများက အနံ့ဆိုးနှင့် ရေဆိုးကြောင့် "
            "တိုင်ကြားနေကြသည်။ ဝက်ချေးကို ဇီဝဓာတ်ငွေ့အဖြစ် ပြောင်း၍ လျှပ်စစ်ထုတ်မည့် နည်းပညာကို ရှာပါသည်။",
        ),
        (
            "fish-feed-extruded",
            "ကျွန်ုပ်တို့ ငါးကန်များတွင် တီလားပီးယား ငါးအစာ ကုန်ကျစရိတ် အလွန်မြင့်သည်။ ငါးမှုန့်နည်းသော်လည်း "
            "ငါးကြီးထွားမှုကောင်းသည့် ရေပေါ်ပေါ်သော အစာဖော်စပ်နည်းကို လိုအပ်ပါသည်။",
        ),
        (
            "seaweed-carrageenan",
            "ရခိုင်ကမ်းရိုးတန်းရှိ ရွာသားများအတွက် ပင်လယ်ရေညှိ စိုက်ပျိုးရေးကို စတင်လိုပြီး ရေညှိမှ "
            "ကာရာဂျီနင် ထုတ်ယူသည့် နည်းပညာကိုပါ တစ်ပါတည်း လိုချင်ပါသည်။",
        ),
        (
            "household-biogas",
            "ကျေးလက်အိမ်ထောင်စုများ ထင်းအသုံးများ၍ သစ်တော ပြုန်းတီးနေသည်။ အိမ်တိုင်းတွင် တပ်ဆင်နိုင်သော "
            "ဇီဝဓာတ်ငွေ့ကန်ငယ်နှင့် ချက်ပြုတ်ရန် မီးဖိုကို လိုအပ်ပါသည်။",
        ),
        (
            "flood-forecast",
            "မိုးရာသီတွင် တောင်ပေါ်ဒေသ ချောင်းများမှ ရေကြီးရေလျှံမှု ရုတ်တရက် ဖြစ်ပေါ်ပြီး ရွာများ ပျက်စီးသည်။ "
            "ရေကြီးမည်ကို နာရီအနည်းငယ် ကြိုတင်ခန့်မှန်းပြီး ရွာများကို သတိပေးနိုင်သည့် စနစ်ကို လိုအပ်ပါသည်။",
        ),
    ],
    "en": [
        (
            "coffee-wet-processing",
            "We are a coffee cooperative in the highlands of northern Thailand selling cherries at low prices. "
            "We want to set up our own pulping and controlled fermentation station to produce specialty green "
            "beans with consistent flavour, and treat the wastewater properly.",
        ),
        (
            "rubber-wood-modification",
            "Our furniture factory in Malaysia uses timber from replanted rubber estates, but the wood suffers "
            "blue stain and termite damage. We are looking for preservation and heat treatment technology that "
            "makes rubberwood stable enough for flooring and solid furniture.",
        ),
        (
            "pineapple-harvester",
            "On our hillside pineapple plantation, workers carry the harvested fruit out of the field on their "
            "backs. We need a self-propelled machine with a conveyor arm that takes fruit from pickers to the "
            "trucks and speeds up harvesting.",
        ),
        (
            "rice-straw-mushroom-substrate",
            "Our agribusiness wants to produce button mushrooms using rice straw, which farmers around us now burn. "
            "We need a proven compost recipe and tunnel fermentation process for straw-based substrate.",
        ),
        (
            "maize-fall-armyworm",
            "Fall armyworm has spread across our maize growing districts and farmers spray insecticide every week. "
            "We seek an integrated monitoring and control package, with pheromone traps and biological products.",
        ),
        (
            "tea-machine-picking",
            "Our tea estate in Sri Lanka cannot find enough pluckers during the flush season. We want a "
            "mechanical tea harvester that recognises young shoots, so quality stays close to hand plucking.",
        ),
        (
            "acid-soil-amendment",
            "The red soils of our citrus and sugarcane farms have a pH below 4.5 and yields keep dropping. We are "
            "looking for a soil amendment product and method to correct acidity and aluminium toxicity.",
        ),
        (
            "chicken-vaccine-ndv",
            "Village poultry keepers in our province lose many birds to Newcastle disease and avian influenza. "
            "We need a combined vaccine that protects against both with one injection and tolerates the cold "
            "chain limits of rural areas.",
        ),
        (
            "pond-aeration-iot",
            "Our catfish and tilapia ponds lose fish at dawn when dissolved oxygen drops. We want online water "
            "quality sensors that switch on aerators automatically and send alarms to the farm manager's phone.",
        ),
        (
            "crab-fattening",
            "We farm mud crabs in mangrove areas of the Mekong delta and want to move into soft-shell crab "
            "production for restaurants. Looking for a box culture system with recirculating water and high "
            "survival during moulting.",
        ),
        (
            "lithium-battery-bms",
            "We install solar systems with lithium iron phosphate batteries for telecom towers in remote areas. "
            "We need a reliable battery management system with cell balancing and remote monitoring to extend "
            "battery life.",
        ),
        (
            "malaria-rdt",
            "Our health programme works in border provinces where both falciparum and vivax malaria remain. We "
            "need rapid diagnostic tests that detect both species in the field and support for case surveillance.",
        ),
    ],
}

# Short search-box queries (3–6 words), the way people type into the search field; the same answers as the
# demands of that language, written without looking at the achievements' text.
SHORT = {
    "vi": [
        ("jackfruit-freeze-dry", "công nghệ sấy mít giòn"),
        ("cocoa-fermentation", "lên men hạt ca cao"),
        ("palm-efb-fertilizer", "phân bón từ buồng cọ rỗng"),
        ("banana-fiber", "máy tách sợi thân chuối"),
        ("rice-dryer-biomass", "máy sấy lúa đốt trấu"),
        ("soybean-intercrop", "trồng xen ngô đậu nành"),
        ("vegetable-hydroponics", "trang trại rau thủy canh"),
        ("biochar-kiln", "lò than sinh học"),
        ("duck-rice-coculture", "nuôi vịt trong ruộng lúa"),
        ("grouper-hatchery", "sản xuất giống cá mú"),
        ("oyster-depuration", "làm sạch hàu bảo quản lạnh"),
        ("electric-boat", "thuyền du lịch chạy điện"),
        ("snakebite-antivenom", "huyết thanh kháng nọc rắn"),
    ],
    "th": [
        ("mango-pulp-aseptic", "เนื้อมะม่วงบดบรรจุปลอดเชื้อ"),
        ("pepper-root-rot", "โรครากเน่าพริกไทย"),
        ("coconut-coir", "เครื่องแยกใยมะพร้าว"),
        ("cassava-harvester", "เครื่องขุดมันสำปะหลัง"),
        ("rice-direct-seeding", "เครื่องหยอดเมล็ดข้าว"),
        ("peanut-aflatoxin", "อะฟลาท็อกซินในถั่วลิสง"),
        ("greenhouse-tropical", "โรงเรือนทนพายุ"),
        ("pig-asf-disinfection", "ป้องกันอหิวาต์แอฟริกาในสุกร"),
        ("cattle-fattening-tmr", "สูตรอาหารโคขุน"),
        ("fish-sauce-fast", "หมักน้ำปลาเร็ว"),
        ("rural-water-purifier", "เครื่องผลิตน้ำประปาหมู่บ้าน"),
        ("herbal-quality-control", "ตรวจสอบคุณภาพสมุนไพร"),
    ],
    "id": [
        ("mango-anthracnose", "pengendalian antraknosa mangga"),
        ("rubber-tapping-robot", "robot sadap karet"),
        ("coconut-water", "pengawetan air kelapa"),
        ("cassava-leaf-feed", "silase daun singkong"),
        ("rice-blast-forecast", "prediksi penyakit blas padi"),
        ("cashew-shelling", "mesin pengupas mete"),
        ("fertigation-controller", "irigasi tetes pemupukan otomatis"),
        ("pig-manure-biogas", "biogas kotoran babi"),
        ("goat-breeding", "inseminasi buatan kambing"),
        ("fish-processing-byproduct", "kolagen dari kulit ikan"),
        ("rural-sewage-wetland", "pengolahan limbah desa"),
        ("coffee-leaf-rust", "kopi tahan karat daun"),
    ],
    "en": [
        ("coffee-wet-processing", "coffee cherry wet processing"),
        ("rubber-wood-modification", "rubberwood preservation treatment"),
        ("pineapple-harvester", "pineapple harvesting conveyor machine"),
        ("rice-straw-mushroom-substrate", "mushroom compost from rice straw"),
        ("maize-fall-armyworm", "fall armyworm control"),
        ("tea-machine-picking", "mechanical tea plucking"),
        ("acid-soil-amendment", "acid soil conditioner"),
        ("chicken-vaccine-ndv", "Newcastle avian influenza vaccine"),
        ("pond-aeration-iot", "pond dissolved oxygen sensor"),
        ("crab-fattening", "soft-shell crab farming"),
        ("lithium-battery-bms", "lithium battery management system"),
        ("malaria-rdt", "malaria rapid diagnostic test"),
    ],
}
